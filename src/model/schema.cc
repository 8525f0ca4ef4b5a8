#include "model/schema.h"

namespace izde::model {

const std::vector<std::string_view> kNameParts = {"full", "given", "family", "patronymic",
                                                  "father"};
const std::vector<std::string_view> kIdentifierKinds = {"prc_id", "kz_iin", "passport", "other"};
const std::vector<std::string_view> kConsentItems = {"name", "face_voice", "testimony_text",
                                                     "id_number"};

namespace {

using K = FieldKind;

const std::vector<FieldSpec> kPerson = {
    {"kind", K::kEnum, false, {"documented", "sought"}},
    {"names", K::kNameForms, true},
    {"gender", K::kEnum, false, {"female", "male", "other", "unknown"}},
    {"birth_date", K::kDate},
    {"hometown", K::kText},
    {"ethnicity", K::kText},
    {"citizenships", K::kTextList},
    {"identifiers", K::kIdentifiers},
    {"photos", K::kRefList},
    {"sources", K::kRefList},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kRelation = {
    {"from", K::kRecordRef, true},
    {"to", K::kRecordRef, true},
    {"kind",
     K::kEnum,
     true,
     {"parent", "child", "spouse", "sibling", "grandparent", "grandchild", "in_law", "other"}},
    {"source", K::kRecordRef},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kWitness = {
    {"name", K::kText, true},   {"contact", K::kText}, {"relation_to_people", K::kText},
    {"safety_notes", K::kText}, {"notes", K::kText},
};

const std::vector<FieldSpec> kTestimony = {
    {"witness", K::kRecordRef},
    {"date", K::kDate},
    {"place", K::kText},
    {"interviewer", K::kText},
    {"language", K::kEnum, false, {"kk", "ug", "ru", "zh", "en", "uz", "ky", "tr", "other"}},
    {"people", K::kRefList},
    {"transcript", K::kText},
    {"summary", K::kText},
    {"evidence", K::kRefList},
    {"consent", K::kConsent},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kSource = {
    {"kind",
     K::kEnum,
     true,
     {"testimony", "official_document", "leaked_list", "media_report", "official_statement",
      "other"}},
    // Admiralty-style reliability of the source: A completely reliable .. F cannot be judged.
    {"reliability", K::kEnum, false, {"A", "B", "C", "D", "E", "F"}},
    {"title", K::kText},
    {"testimony", K::kRecordRef},
    {"list", K::kText},
    {"reference", K::kText},
    {"date", K::kDate},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kEvidence = {
    {"media_type", K::kText, true},
    {"sha256", K::kSha256, true},
    {"size", K::kNumber, true, {}, 0, 1e15},
    {"original_name", K::kText},
    {"capture_metadata", K::kObject},
    {"blob", K::kText, true},
    {"blob_key", K::kText, true},
    {"testimony", K::kRecordRef},
    {"source", K::kRecordRef},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kEvent = {
    {"person", K::kRecordRef, true},
    {"kind",
     K::kEnum,
     true,
     {"detained", "interrogated", "held_at_facility", "transferred", "sentenced", "released",
      "house_arrest", "travel_restricted", "passport_confiscated", "forced_labour", "disappeared",
      "contact_lost", "contact_restored", "died", "other"}},
    {"date", K::kDate},
    {"place", K::kText},
    {"facility", K::kRecordRef},
    {"agency", K::kText},
    {"term_months", K::kNumber, false, {}, 0, 1200},
    {"confidence", K::kEnum, false, {"confirmed", "probable", "possible", "unknown"}},
    {"sources", K::kRefList},
    {"notes", K::kText},
};

const std::vector<FieldSpec> kFacility = {
    {"names", K::kNameForms, true},
    {"type", K::kEnum, false, {"camp", "prison", "detention_centre", "police_station", "other"}},
    {"county", K::kText},
    {"latitude", K::kNumber, false, {}, -90, 90},
    {"longitude", K::kNumber, false, {}, -180, 180},
    {"notes", K::kText},
};

// A reviewer's decision on whether people `a` and `b` are one person. Undo writes a new
// version; `sequence` orders decisions across records (docs/formats/identity.md).
const std::vector<FieldSpec> kLink = {
    {"a", K::kRecordRef, true},
    {"b", K::kRecordRef, true},
    {"decision", K::kEnum, true, {"same", "different", "undecided"}},
    {"sequence", K::kNumber, true, {}, 0, 1e15},
    {"probability", K::kNumber, false, {}, 0, 1},
    {"levels", K::kObject},
    {"undoes", K::kNumber, false, {}, 1, 1e15},  // the version this one takes back
    {"notes", K::kText},
};

// The review queue a linkage run left: ids, probabilities and comparison levels only.
const std::vector<FieldSpec> kLinkQueue = {
    {"pairs", K::kObject, true},
    {"fields", K::kTextList},
    {"people", K::kNumber, false, {}, 0, 1e12},
    {"comparisons", K::kNumber, false, {}, 0, 1e18},
    {"notes", K::kText},
};

// A notice for the coordinator: a sought person links to records they were not yet told of.
const std::vector<FieldSpec> kNotice = {
    {"sought", K::kRecordRef, true},
    {"person", K::kRecordRef, true},
    {"probability", K::kNumber, false, {}, 0, 1},
    {"accepted", K::kEnum, false, {"yes", "no"}},
    {"new_records", K::kRefList},
    {"reported", K::kRefList},
    {"status", K::kEnum, true, {"open", "seen"}},
    {"notes", K::kText},
};

}  // namespace

std::span<const FieldSpec> FieldsOf(RecordType type) {
  switch (type) {
    case RecordType::kPerson:
      return kPerson;
    case RecordType::kRelation:
      return kRelation;
    case RecordType::kWitness:
      return kWitness;
    case RecordType::kTestimony:
      return kTestimony;
    case RecordType::kSource:
      return kSource;
    case RecordType::kEvidence:
      return kEvidence;
    case RecordType::kEvent:
      return kEvent;
    case RecordType::kFacility:
      return kFacility;
    case RecordType::kLink:
      return kLink;
    case RecordType::kLinkQueue:
      return kLinkQueue;
    case RecordType::kNotice:
      return kNotice;
  }
  return {};
}

}  // namespace izde::model
