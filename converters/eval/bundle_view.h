// eval/bundle_view.h — what an evaluation reads from a converted Bundle: each resource's type,
// codes, statuses and the source spans its derivation-reference extensions point at. Labels come
// from the FHIR output only, as a user importing the Bundle would see them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <string_view>

#include "casefhir/mapping.h"

namespace casefhir::eval {

struct SpanRef {
  std::uint32_t offset = 0;   // code points
  std::uint32_t length = 0;
  bool overlaps(std::uint32_t begin, std::uint32_t end) const { return offset < end && begin < offset + length; }
};

struct ResourceView {
  std::string type;                       // Condition, Observation, Procedure, FamilyMemberHistory, Patient
  std::vector<std::pair<std::string, std::string>> codes;   // (system, code) of code / condition codes
  std::string verification;               // Condition.verificationStatus code
  std::string clinical;                   // Condition.clinicalStatus code
  std::string category;                   // first category code
  std::string presence;                   // Observation value: "present", "absent", "possible", or ""
  std::string interpretation;             // Observation interpretation code
  bool has_value = false;                 // Observation.valueQuantity
  std::vector<double> values;             // every number of its value: quantity, range, ratio, components
  std::string relationship;               // FamilyMemberHistory relationship code
  std::string gender;                     // Patient
  double age = -1;                        // age Observation value (years), -1 when not an age
  std::vector<SpanRef> spans;
  std::optional<SpanRef> resolution;      // Condition: the words that say it resolved (_abatementString)
  std::string full_url;                   // Bundle.entry.fullUrl
  std::string principal;                  // Encounter: fullUrl of its rank-1 diagnosis

  bool has_code(const std::string& system, const std::string& code) const;
  bool negated() const;   // refuted Condition, Absent finding, not-done Procedure
  // Whether the mention at `mention` reads as negated: negated(), or a resolved Condition named in
  // the sentence that says it resolved ("the anemia was corrected"; MACCROBAT marks that NEG) —
  // every mention when the Bundle does not say where. `sentence_breaks`: sorted code-point
  // offsets where sentences begin.
  bool negated_at(const SpanRef& mention, std::span<const std::uint32_t> sentence_breaks) const;
};

// `mappings` tells which codes state presence and age (the same mappings that wrote the Bundle).
std::vector<ResourceView> view_bundle(std::string_view bundle_json, const Mappings& mappings);

}  // namespace casefhir::eval
