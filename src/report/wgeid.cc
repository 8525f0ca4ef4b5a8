#include "report/wgeid.h"

#include "report/person_facts.h"
#include "report/report_language.h"
#include "report/stats.h"

namespace izde::report {
namespace {

// Events that are the disappearance itself: the arrest, or the last contact.
constexpr const char* kDisappearanceKinds[] = {"detained", "disappeared", "contact_lost"};
// Events that place a person somewhere after the arrest (a sighting).
constexpr const char* kSightingKinds[] = {"held_at_facility", "transferred", "sentenced",
                                          "forced_labour", "interrogated"};

std::string Text(const nlohmann::json& doc, const char* field) {
  auto it = doc.find(field);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool OneOf(const std::string& kind, const auto& kinds) {
  for (const char* k : kinds) {
    if (kind == k) return true;
  }
  return false;
}

std::string FacilityName(const Holdings& h, const std::string& id) {
  auto f = h.facilities.find(id);
  if (f == h.facilities.end()) return id;
  for (const auto& n : f->second.record.doc.value("names", nlohmann::json::array())) {
    if (n.is_object() && !Text(n, "text").empty()) return Text(n, "text") + " (" + id + ")";
  }
  return id;
}

std::string Where(const Holdings& h, const nlohmann::json& ev) {
  std::string where = Text(ev, "place");
  const std::string fac = Text(ev, "facility");
  if (!fac.empty()) where += (where.empty() ? "" : ", ") + FacilityName(h, fac);
  return where;
}

}  // namespace

std::vector<const WgeidElement*> WgeidSubmission::Missing() const {
  std::vector<const WgeidElement*> out;
  for (const auto& e : elements) {
    if (e.required && e.value.empty()) out.push_back(&e);
  }
  return out;
}

Result<WgeidSubmission> AssembleWgeid(const Holdings& h, const std::string& person_id,
                                      const WgeidStatement& statement, const CaseLedger& ledger) {
  auto it = h.people.find(person_id);
  if (it == h.people.end()) {
    return Status::NotFound("no person with record id '" + person_id + "' in this vault");
  }
  const nlohmann::json& p = it->second.record.doc;
  const PersonFacts facts = FactsOf(h, {person_id, {person_id}});
  const Words en("en");
  WgeidSubmission s;
  s.person_id = person_id;
  auto add = [&](std::string key, std::string label, std::string value, bool required,
                 std::string how) {
    s.elements.push_back(
        {std::move(key), std::move(label), std::move(value), required, std::move(how)});
  };

  // 1. Full name, and other forms of it.
  std::vector<std::string> other_names;
  for (const auto& n : p.value("names", nlohmann::json::array())) {
    // Other spellings of the full name; a father's name alone is not one.
    const std::string part = Text(n, "part");
    if (n.is_object() && !Text(n, "text").empty() && Text(n, "text") != DisplayName(p) &&
        (part.empty() || part == "full"))
      other_names.push_back(Text(n, "text"));
  }
  std::string others;
  for (const auto& n : other_names) others += (others.empty() ? "" : "; ") + n;
  add("full_name", "Full name", DisplayName(p), true,
      "record the person's full name (izde add person --name)");
  add("other_names", "Other spellings and scripts", others, false, "");

  // 2. Identifiers: a birth date or an identity document.
  std::vector<std::string> ids;
  if (!Text(p, "birth_date").empty()) ids.push_back("born " + Text(p, "birth_date"));
  for (const auto& i : p.value("identifiers", nlohmann::json::array())) {
    if (i.is_object() && !Text(i, "value").empty())
      ids.push_back(en("id_" + Text(i, "kind")) + " " + Text(i, "value"));
  }
  std::string id_text;
  for (const auto& i : ids) id_text += (id_text.empty() ? "" : "; ") + i;
  add("identifiers", "Identifiers (date of birth, identity documents)", id_text, true,
      "record a date of birth or an identity number of the person");
  add("gender", "Sex", Text(p, "gender"), false, "");
  std::string citizenship;
  for (const auto& c : p.value("citizenships", nlohmann::json::array())) {
    if (c.is_string()) citizenship += (citizenship.empty() ? "" : ", ") + c.get<std::string>();
  }
  add("nationality", "Nationality", citizenship, false, "");
  add("ethnicity", "Ethnicity", Text(p, "ethnicity"), false, "");
  std::string home = Text(p, "hometown");
  if (!facts.prefecture.empty() && !home.empty())
    home += " (" + PrefectureLabel(facts.prefecture) + " prefecture, Xinjiang)";
  add("residence", "Place of origin or residence", home, false, "");

  // 3, 4, 5. The disappearance: the earliest arrest or loss of contact with a date, then
  // the latest place anyone saw the person, and who is believed responsible.
  const EventFact* taken = nullptr;
  const nlohmann::json* taken_doc = nullptr;
  std::string last_place, agency;
  for (const EventFact& e : facts.events) {
    const nlohmann::json& ev = h.events.at(e.id).record.doc;
    if (!taken && e.date && OneOf(e.kind, kDisappearanceKinds)) {
      taken = &e;
      taken_doc = &ev;
    }
    if ((OneOf(e.kind, kDisappearanceKinds) || OneOf(e.kind, kSightingKinds)) &&
        !Where(h, ev).empty()) {
      last_place = Where(h, ev) + " (" + en("kind_" + e.kind) +
                   (Text(ev, "date").empty() ? "" : ", " + Text(ev, "date")) + ")";
    }
    if (agency.empty() && !Text(ev, "agency").empty()) agency = Text(ev, "agency");
  }
  std::string date;
  if (taken) date = Text(*taken_doc, "date") + " (" + en("kind_" + taken->kind) + ")";
  add("date", "Date of disappearance (arrest or last contact)", date, true,
      "record a 'detained', 'disappeared' or 'contact_lost' event with a date, even a partial "
      "one such as 'spring 2018' (izde add event --kind detained --date ...)");
  std::string arrest_place = taken_doc ? Where(h, *taken_doc) : "";
  std::string place = arrest_place;
  if (!last_place.empty() && (arrest_place.empty() || last_place.rfind(arrest_place, 0) != 0))
    place += (place.empty() ? "last seen: " : "; last seen: ") + last_place;
  add("place", "Place of arrest or last sighting", place, true,
      "record the place (or facility) of the arrest, or of the last time the person was seen");
  if (agency.empty() && !statement.responsible.empty())
    agency = statement.responsible + " (as stated by the submitter)";
  add("responsible", "Forces believed responsible", agency, true,
      "record the agency on the arrest event (izde add event --agency ...), or give "
      "--responsible");

  // 6, 7. What only the family and the group can say.
  add("steps", "Steps taken by the family (searches, complaints, authorities contacted)",
      statement.steps_taken, true, "describe them with --steps or --steps-file");
  std::string submitter = statement.submitter;
  if (!submitter.empty() && statement.confidential)
    submitter += "\nThe submitting source asks that its identity be kept confidential.";
  add("submitter", "Submitting source", submitter, true,
      "name the submitting organisation with --submitter (add --confidential to ask that it "
      "be kept confidential)");

  for (const EventFact& e : facts.events) {
    const nlohmann::json& ev = h.events.at(e.id).record.doc;
    s.timeline.push_back({Text(ev, "date").empty() ? "date unknown" : Text(ev, "date"),
                          en("kind_" + e.kind), Where(h, ev)});
  }
  if (auto l = ledger.entries.find(person_id); l != ledger.entries.end()) {
    s.log_entry = l->second;
    s.logged = true;
  }
  return s;
}

std::string MissingText(const WgeidSubmission& s) {
  std::string out;
  for (const WgeidElement* e : s.Missing()) out += "  - " + e->label + ": " + e->how_to_add + "\n";
  return out;
}

namespace {

// Refuses a submission with missing elements unless it is a draft.
Status CheckComplete(const WgeidSubmission& s, bool draft) {
  const auto missing = s.Missing();
  if (!missing.empty() && !draft) {
    return Status::InvalidInput("the submission lacks " + std::to_string(missing.size()) +
                                " required element(s):\n" + MissingText(s) +
                                "Add them, or write a draft with --draft.");
  }
  return Status::Ok();
}

std::string Banner(const WgeidSubmission& s, bool draft) {
  return draft && !s.Missing().empty()
             ? "DRAFT, INCOMPLETE: required elements are missing (marked below). CONFIDENTIAL."
             : "CONFIDENTIAL: names a person at risk. For the Working Group only.";
}

// The form, drawn the same way into a PdfDocument or a DocxDocument.
void DrawWgeid(const WgeidSubmission& s, const std::string& prepared_on, Document& doc) {
  const auto missing = s.Missing();
  doc.Title("Submission to the Working Group on Enforced or Involuntary Disappearances");
  doc.Paragraph("Prepared on " + prepared_on + " with izde from record " + s.person_id +
                    ". Addressed to: Working Group on Enforced or Involuntary Disappearances, "
                    "OHCHR, United Nations Office at Geneva.",
                8.5, true);
  if (!missing.empty()) {
    std::string list;
    for (const WgeidElement* e : missing) list += (list.empty() ? "" : "; ") + e->label;
    doc.Paragraph("This draft cannot be submitted yet. Missing required elements: " + list + ".");
  }
  doc.Heading("Required and supporting elements");
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& e : s.elements) {
    std::string value = e.value;
    if (value.empty()) value = e.required ? "MISSING (required): " + e.how_to_add : "not recorded";
    rows.push_back({e.label + (e.required ? " *" : ""), value});
  }
  doc.Fields(rows);
  doc.Paragraph("* required by the Working Group before it can transmit a case.", 8, true);
  doc.Heading("What happened (from the group's records)");
  if (s.timeline.empty())
    doc.Paragraph("No events recorded.");
  else
    doc.Table({"Date", "What happened", "Where"}, s.timeline, {0.2, 0.3, 0.5});
  doc.Heading("Integrity of the record");
  if (s.logged) {
    doc.Paragraph("Version " + std::to_string(s.log_entry.version) + " of record " + s.person_id +
                      " is entry " + std::to_string(s.log_entry.index) +
                      " of the group's tamper-evident log; its leaf hash is below. The group "
                      "can provide a proof file that anyone can verify offline with izde.",
                  9);
    doc.Code(s.log_entry.leaf_hex);
  } else {
    doc.Paragraph("This record is not in the tamper-evident log.", 9);
  }
  doc.Heading("Signature of the submitting source");
  doc.SignatureBlock("Submitting source", "Name and organisation", "Signature", "Date");
}

}  // namespace

Result<std::unique_ptr<PdfDocument>> WgeidPdf(const WgeidSubmission& s,
                                              const std::string& prepared_on, bool draft) {
  IZDE_RETURN_IF_ERROR(CheckComplete(s, draft));
  PdfOptions o;
  o.lang = "en";
  o.banner = Banner(s, draft);
  o.footer = "izde · WGEID submission · " + s.person_id;
  o.title = "izde WGEID submission " + s.person_id;
  auto doc = std::make_unique<PdfDocument>(o);
  DrawWgeid(s, prepared_on, *doc);
  return doc;
}

Result<std::unique_ptr<DocxDocument>> WgeidDocx(const WgeidSubmission& s,
                                                const std::string& prepared_on, bool draft) {
  IZDE_RETURN_IF_ERROR(CheckComplete(s, draft));
  DocxOptions o;
  o.banner = Banner(s, draft);
  o.footer = "izde · WGEID submission · " + s.person_id;
  o.title = "izde WGEID submission " + s.person_id;
  auto doc = std::make_unique<DocxDocument>(o);
  DrawWgeid(s, prepared_on, *doc);
  return doc;
}

}  // namespace izde::report
