#include "link/constraints.h"

#include <algorithm>

namespace izde::link {

void Constraints::AddCannotLink(uint32_t a, uint32_t b) { cannot_link_.insert(Key(a, b)); }

bool Constraints::ConflictingIds(const Prepared& pa, size_t a, const Prepared& pb, size_t b) {
  const auto& fields = pa.schema.fields;
  const size_t nf = fields.size();
  // A number missing on either side is seen in the summaries, without the values (a
  // record read from a link state is decoded on first use).
  const bool summarized =
      pa.summaries.size() == pa.values.size() && pb.summaries.size() == pb.values.size();
  for (size_t f = 0; f < nf; ++f) {
    if (fields[f].comparator != Comparator::kIdNumber) continue;
    if (summarized && (pa.summaries[a * nf + f].missing || pb.summaries[b * nf + f].missing))
      continue;
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

std::vector<std::pair<uint32_t, uint32_t>> Constraints::CannotLinkPairs() const {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (uint64_t k : cannot_link_)
    out.emplace_back(static_cast<uint32_t>(k >> 32), static_cast<uint32_t>(k));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace izde::link
