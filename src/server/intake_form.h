// The intake forms (a person, an event) as submitted by a browser: each
// field is checked where the form can say which field is wrong, and errors
// are catalog keys ("err_date") so that the page shows them in the user's
// language next to the field. The model's own validation runs again at
// Vault::Save; FieldOfError maps its message back to a field.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "model/record.h"

namespace izde::server {

using FormParams = std::multimap<std::string, std::string>;

struct IntakeForm {
  model::Record record;
  std::map<std::string, std::string> values;  // as submitted, to fill the form again
  std::map<std::string, std::string> errors;  // field -> catalog key
  bool ok() const { return errors.empty(); }
};

inline const std::vector<std::string> kPersonFormFields = {
    "name1", "name2", "name3", "kind", "gender", "birth_date", "hometown", "notes"};
inline const std::vector<std::string> kEventFormFields = {"person", "kind",       "date",
                                                          "place",  "confidence", "notes"};

IntakeForm ReadPersonForm(const FormParams& params);
// `is_person` says whether an id names a person in the vault.
IntakeForm ReadEventForm(const FormParams& params,
                         const std::function<bool(const std::string&)>& is_person);

// The form field a validation message is about ("person P-1: birth_date: ..."
// -> "birth_date"; "names[0].text" -> "name1"), or "" when none.
std::string FieldOfError(const std::string& message, const std::vector<std::string>& fields);

}  // namespace izde::server
