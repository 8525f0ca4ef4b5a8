// Prepared values, values[r * fields + f]: a plain array, except that the records
// read from a link state are decoded only when first used. A run that links a
// thousand new records against a million linked ones reads the values of the few
// thousand records they meet, not a gigabyte of values (docs/formats/link-state.md).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace izde::link {

// Where the values of records read lazily come from.
template <typename T>
class ValueSource {
 public:
  virtual ~ValueSource() = default;
  // Fills the values of record r (one per field) into out, which holds defaults.
  virtual void Decode(size_t record, T* out) const = 0;
};

// T is FieldValue (fields.h: ValueStore); a template only so that this header does
// not need fields.h.
template <typename T>
class BasicValueStore {
 public:
  BasicValueStore();
  ~BasicValueStore();
  BasicValueStore(BasicValueStore&&) noexcept;
  BasicValueStore& operator=(BasicValueStore&&) noexcept;
  // A copy shares the source and decodes again what it reads.
  BasicValueStore(const BasicValueStore&);
  BasicValueStore& operator=(const BasicValueStore&);

  // The first `records` records (of `fields` values each) come from `source`.
  void SetSource(std::shared_ptr<const ValueSource<T>> source, size_t records, size_t fields);

  size_t size() const { return lazy_values_ + dense_.size(); }
  void resize(size_t n) { dense_.resize(n - lazy_values_); }
  void reserve(size_t n) { dense_.reserve(n > lazy_values_ ? n - lazy_values_ : 0); }
  T& operator[](size_t i) { return i >= lazy_values_ ? dense_[i - lazy_values_] : Lazy(i); }
  const T& operator[](size_t i) const {
    return i >= lazy_values_ ? dense_[i - lazy_values_] : Lazy(i);
  }
  // The source of the first lazy_records() records (null when there is none).
  const ValueSource<T>* source() const { return source_.get(); }
  size_t lazy_records() const { return lazy_records_; }
  // How many records from the source have been decoded (for reports and tests).
  size_t decoded_records() const { return next_slot_.load(std::memory_order_relaxed); }

 private:
  T& Lazy(size_t i) const;
  T* Decoded(size_t record) const;
  void Reset();

  std::vector<T> dense_;
  size_t lazy_values_ = 0, lazy_records_ = 0, fields_ = 1;
  std::shared_ptr<const ValueSource<T>> source_;
  // Per source record: 0 not decoded, kBusy being decoded, else its slot + 1.
  mutable std::unique_ptr<std::atomic<uint32_t>[]> slot_of_;
  // Decoded records' values in blocks of kBlock records, allocated when first needed.
  static constexpr size_t kBlock = 1024;
  mutable std::unique_ptr<std::atomic<T*>[]> blocks_;
  mutable std::atomic<uint32_t> next_slot_{0};
};

}  // namespace izde::link
