// A person record as linkage input: the person CSV's linkage schema (name, gender,
// birth date, hometown, identity number; link/person_records.h), filled from the
// record's document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "link/fields.h"

namespace izde::identity {

link::Schema PersonLinkSchema();

// One value per schema field, empty when missing. The name is the first full name form
// (or the given, family and father parts joined, in that order), with the father's name
// appended when the full name lacks it; the identity number is the first PRC ID or IIN.
std::vector<std::string> PersonLinkValues(const nlohmann::json& person);

// The name a reviewer sees first: the first name form.
std::string DisplayName(const nlohmann::json& person);
// Every name form, joined with " / ".
std::string AllNames(const nlohmann::json& person);

}  // namespace izde::identity
