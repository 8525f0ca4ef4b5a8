#include "link/constraints.h"

namespace izde::link {

void Constraints::AddCannotLink(uint32_t a, uint32_t b) { cannot_link_.insert(Key(a, b)); }

bool Constraints::ConflictingIds(const Prepared& pa, size_t a, const Prepared& pb, size_t b) {
  const auto& fields = pa.schema.fields;
  for (size_t f = 0; f < fields.size(); ++f) {
    if (fields[f].comparator != Comparator::kIdNumber) continue;
    const FieldValue& x = pa.at(a, f);
    const FieldValue& y = pb.at(b, f);
    if (!x.missing && !y.missing && x.id_valid && y.id_valid && x.id_kind == y.id_kind &&
        x.text != y.text)
      return true;
  }
  return false;
}

bool Constraints::Forbidden(const Prepared& p, uint32_t a, uint32_t b) const {
  if (!cannot_link_.empty() && cannot_link_.count(Key(a, b))) return true;
  return ConflictingIds(p, a, p, b);
}

}  // namespace izde::link
