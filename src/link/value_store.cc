#include "link/value_store.h"

#include <algorithm>
#include <thread>

#include "link/fields.h"

namespace izde::link {
namespace {
constexpr uint32_t kBusy = UINT32_MAX;
}

template <typename T>
BasicValueStore<T>::BasicValueStore() = default;
template <typename T>
BasicValueStore<T>::~BasicValueStore() {
  Reset();
}

template <typename T>
void BasicValueStore<T>::Reset() {
  if (blocks_)
    for (size_t b = 0; b * kBlock < lazy_records_; ++b)
      delete[] blocks_[b].load(std::memory_order_relaxed);
  blocks_.reset();
  slot_of_.reset();
  source_.reset();
  lazy_values_ = lazy_records_ = 0;
  next_slot_.store(0, std::memory_order_relaxed);
}

template <typename T>
BasicValueStore<T>::BasicValueStore(BasicValueStore&& o) noexcept {
  *this = std::move(o);
}

template <typename T>
BasicValueStore<T>& BasicValueStore<T>::operator=(BasicValueStore&& o) noexcept {
  if (this == &o) return *this;
  Reset();
  dense_ = std::move(o.dense_);
  lazy_values_ = o.lazy_values_;
  lazy_records_ = o.lazy_records_;
  fields_ = o.fields_;
  source_ = std::move(o.source_);
  slot_of_ = std::move(o.slot_of_);
  blocks_ = std::move(o.blocks_);
  next_slot_.store(o.next_slot_.load(std::memory_order_relaxed), std::memory_order_relaxed);
  o.lazy_values_ = o.lazy_records_ = 0;
  o.next_slot_.store(0, std::memory_order_relaxed);
  return *this;
}

template <typename T>
BasicValueStore<T>::BasicValueStore(const BasicValueStore& o) {
  *this = o;
}

template <typename T>
BasicValueStore<T>& BasicValueStore<T>::operator=(const BasicValueStore& o) {
  if (this == &o) return *this;
  Reset();
  dense_ = o.dense_;
  if (o.source_) SetSource(o.source_, o.lazy_records_, o.fields_);
  return *this;
}

template <typename T>
void BasicValueStore<T>::SetSource(std::shared_ptr<const ValueSource<T>> source, size_t records,
                                   size_t fields) {
  std::vector<T> dense = std::move(dense_);
  Reset();
  dense_ = std::move(dense);
  fields_ = std::max<size_t>(1, fields);
  lazy_records_ = records;
  lazy_values_ = records * fields_;
  source_ = std::move(source);
  slot_of_ = std::make_unique<std::atomic<uint32_t>[]>(records);  // zeroed: none decoded
  blocks_ = std::make_unique<std::atomic<FieldValue*>[]>((records + kBlock - 1) / kBlock);
}

template <typename T>
T& BasicValueStore<T>::Lazy(size_t i) const {
  return Decoded(i / fields_)[i % fields_];
}

template <typename T>
T* BasicValueStore<T>::Decoded(size_t record) const {
  std::atomic<uint32_t>& state = slot_of_[record];
  uint32_t s = state.load(std::memory_order_acquire);
  if (s == 0) {
    uint32_t expected = 0;
    if (state.compare_exchange_strong(expected, kBusy, std::memory_order_acquire)) {
      // This thread decodes the record into the next free slot.
      const uint32_t slot = next_slot_.fetch_add(1, std::memory_order_relaxed);
      std::atomic<T*>& block = blocks_[slot / kBlock];
      T* values = block.load(std::memory_order_acquire);
      if (!values) {
        auto* fresh = new T[kBlock * fields_];
        if (block.compare_exchange_strong(values, fresh, std::memory_order_acq_rel))
          values = fresh;
        else
          delete[] fresh;  // another thread allocated it first
      }
      T* out = values + (slot % kBlock) * fields_;
      source_->Decode(record, out);
      state.store(slot + 1, std::memory_order_release);
      return out;
    }
    s = expected;
  }
  while (s == kBusy) {  // another thread is decoding it
    std::this_thread::yield();
    s = state.load(std::memory_order_acquire);
  }
  const uint32_t slot = s - 1;
  return blocks_[slot / kBlock].load(std::memory_order_acquire) + (slot % kBlock) * fields_;
}

template class BasicValueStore<FieldValue>;

}  // namespace izde::link
