// Errors as values. A Status carries a message a volunteer can act on
// ("people.csv row 812, column birth_date: '1975-13-02' has no month 13");
// Result<T> carries either a value or such a Status across module boundaries.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace izde {

class Status {
 public:
  enum class Code { kOk, kInvalidInput, kNotFound, kAlreadyExists, kPermissionDenied,
                    kCorrupt, kIo, kLocked };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidInput(std::string m) { return Status(Code::kInvalidInput, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status AlreadyExists(std::string m) { return Status(Code::kAlreadyExists, std::move(m)); }
  static Status PermissionDenied(std::string m) {
    return Status(Code::kPermissionDenied, std::move(m));
  }
  static Status Corrupt(std::string m) { return Status(Code::kCorrupt, std::move(m)); }
  static Status Io(std::string m) { return Status(Code::kIo, std::move(m)); }
  static Status Locked(std::string m) { return Status(Code::kLocked, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes context: Status::InvalidInput("bad date").Within("row 3") -> "row 3: bad date".
  Status Within(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_);
  }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Status s) : v_(std::move(s)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace izde

#define IZDE_RETURN_IF_ERROR(expr)        \
  do {                                    \
    ::izde::Status izde_status_ = (expr); \
    if (!izde_status_.ok()) return izde_status_; \
  } while (0)

#define IZDE_CONCAT_INNER(a, b) a##b
#define IZDE_CONCAT(a, b) IZDE_CONCAT_INNER(a, b)
#define IZDE_ASSIGN_OR_RETURN(lhs, expr) \
  IZDE_ASSIGN_OR_RETURN_IMPL(IZDE_CONCAT(izde_result_, __LINE__), lhs, expr)
#define IZDE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
