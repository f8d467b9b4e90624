// casefhir/facts.h — CaseFacts: what a case report says about its patient, independent of both
// the input format and FHIR. Every reader fills it; every writer reads it.
//
//   casefhir::CaseFacts facts = casefhir::extract_facts(doc, mappings);   // text pipeline
//   for (const casefhir::Fact& f : facts.facts)
//     if (f.assertion == casefhir::Assertion::absent) { /* "no fever" */ }
//
// A Fact is one clinical statement: a concept with its assertion (present, absent, possible,
// differential), who it is about, when, where on the body, how large, with what lab result, and
// the spans of source text it was read from. Indexes between facts (evidence, part_of) refer to
// positions in CaseFacts::facts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "casefhir/document.h"
#include "casefhir/mapping.h"

namespace casefhir {

// FHIR: confirmed, refuted, provisional, differential (Condition.verificationStatus);
// Present / Absent value for a finding Observation.
enum class Assertion : std::uint8_t { present, absent, possible, differential };
enum class Experiencer : std::uint8_t { patient, family, other };
// historical: in the patient's past; resolved: was present, is no longer ("the rash resolved").
enum class Temporality : std::uint8_t { current, historical, resolved };
enum class Comparator : std::uint8_t { none, lt, le, ge, gt };
enum class Gender : std::uint8_t { male, female, other, unknown };

struct CodedConcept {
  std::string id;             // mapping id ("" for concepts read from coded input)
  ConceptKind kind = ConceptKind::finding;
  std::vector<Coding> codes;
  std::string text;
};

struct Quantity {
  double value = 0;
  std::string value_text;     // the number as written ("0.5"), so output keeps its precision
  std::string unit;           // UCUM code ("" when the report gives none)
  std::string unit_text;      // the unit as written
  Comparator comparator = Comparator::none;
};

// Where a fact was read: a span of the document text, or an XPath in an XML source. With an XPath,
// a non-empty span counts code points of that element's string-value (XPath string()): where in a
// CDA section's narrative the words are.
struct SourceRef {
  Span span;
  std::string xpath;
  friend bool operator==(const SourceRef&, const SourceRef&) = default;
};

struct BodySite {
  CodedConcept site;
  std::optional<CodedConcept> laterality;
  std::string text;           // "right cheek"
  SourceRef source;
};

struct Onset {
  std::string text;                 // "approximately 25 years ago", "since childhood"
  std::optional<Quantity> age;      // when the report gives the age at onset
  bool ongoing = false;             // a duration up to now ("for 10 years", "since childhood")
  SourceRef source;
};

// A calendar date the text gives a fact, at the precision written ("2024-03-12", "2023-06", "2015").
struct FactDate {
  std::string iso;
  bool onset = false;               // dates the condition itself ("cholecystitis in 2015"), not its sentence
  SourceRef source;
};

// How a condition ended, in the report's words ("subsided", "resolved"), and where they are
// (Condition.abatementString when no date is given).
struct Resolution {
  std::string text;
  SourceRef source;
};

// A time the text gives relative to something else ("on day 5", "at follow-up two weeks later",
// "3 days after the surgery"), written as the core extension cqf-relativeDateTime.
struct RelativeTime {
  enum class Anchor : std::uint8_t { stay_start, stay_end, procedure };
  Anchor anchor = Anchor::stay_start;   // the start or end of the episode of care, or a procedure's end
  std::optional<std::size_t> procedure; // Anchor::procedure: the fact of the procedure
  std::optional<Quantity> offset;       // how long after it; none: some time after ("at follow-up")
  SourceRef source;
};

// An optional value kept on the heap: what std::optional<T> says, in the size of a pointer. For
// the parts of a Fact that few facts have (a lab result, an onset, a method …): a report of a
// million facts then holds a million pointers, not a million empty results.
template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}
  Boxed(const T& v) : p_(std::make_unique<T>(v)) {}
  Boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
  Boxed(const std::optional<T>& v) : p_(v ? std::make_unique<T>(*v) : nullptr) {}
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(const std::optional<T>& v) { return *this = Boxed(v); }
  Boxed& operator=(const T& v) { return *this = Boxed(v); }
  Boxed& operator=(T&& v) { return *this = Boxed(std::move(v)); }

  template <class... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }
  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  const T& value() const {
    if (!p_) throw std::bad_optional_access();
    return *p_;
  }
  friend bool operator==(const Boxed& b, std::nullopt_t) { return !b.p_; }

 private:
  std::unique_ptr<T> p_;
};

enum class Interpretation : std::uint8_t { none, normal, high, low, abnormal, positive, negative };

struct LabResult {
  std::optional<Quantity> value;
  std::vector<Quantity> components;   // "108/64 mmHg": one value per component of the analyte
  // The parts few results have are boxed: a report of a million results holds a pointer for each.
  Boxed<std::pair<Quantity, Quantity>> ratio;   // a titre ("1:320") or a score out of its maximum ("10/15"): valueRatio
  Boxed<std::pair<Quantity, Quantity>> between; // "65–70%": a value given as a range (valueRange)
  Boxed<Quantity> range_low;
  Boxed<Quantity> range_high;
  std::string range_text;           // reference range as written, or where it came from
  bool range_from_mappings = false;
  Interpretation interpretation = Interpretation::none;
  std::string qualitative;          // "normal", "within normal limits", "elevated"
  // Coded input: a coded, string, date-time or boolean value, and the
  // interpretation codes as the source gave them (they replace `interpretation` when present).
  Boxed<CodedConcept> coded_value;
  std::string string_value;
  std::string date_time_value;        // valueDateTime ("last menstrual period")
  std::optional<bool> boolean_value;  // valueBoolean
  std::vector<Coding> interpretation_codes;
  // The analyte's code was left out: the value's unit measures another property than the code
  // does (a mass concentration for a code of substance concentration). Value and unit are kept.
  bool unit_contradicts_code = false;
};

// A code that made an EHR send the report (an eICR trigger code): the code, and the value set of
// reportable conditions (RCTC) it was matched in, as the source states them.
struct TriggerCode {
  Coding code;
  std::string value_set;           // OID
  std::string value_set_version;   // "" when not stated
};


struct Fact {
  // What names this fact in its source, independent of order: for a coded entry its id
  // (root|extension) or, without one, its XPath. "" for text: ids then come from the concept and
  // its ordinal.
  std::string identity;
  CodedConcept code;
  Assertion assertion = Assertion::present;
  Experiencer experiencer = Experiencer::patient;
  Boxed<Coding> relationship;        // v3 RoleCode when the experiencer is family
  std::string relative;                      // which relative, when the source tells two of one relationship apart
  Temporality temporality = Temporality::current;
  std::vector<BodySite> sites;
  std::vector<Quantity> sizes;
  Boxed<Onset> onset;
  std::optional<FactDate> date;
  std::optional<FactDate> end;                 // when it ended (Condition.abatementDateTime)
  Boxed<Resolution> resolution;      // where the text says it resolved ("the rash subsided")
  Boxed<RelativeTime> relative_time;   // when it has no date
  Boxed<LabResult> result;           // kind lab
  Boxed<CodedConcept> method;        // how it was observed (histopathology, imaging)
  std::string observation_category;          // from the method; "" = the kind's default
  std::vector<std::size_t> evidence;         // facts this one rests on (Condition.evidence)
  std::optional<std::size_t> part_of;        // the procedure it came from (Observation.partOf)
  Boxed<CodedConcept> status_reason; // a procedure not done: why, as the report says (refused, because of …)
  std::string status;                        // a FHIR status the source states ("preliminary"); "" = the writer's default
  std::vector<TriggerCode> triggers;         // structured input: the codes of this entry that triggered the report
  std::vector<SourceRef> sources;            // one per mention; never empty for text input
};

// Demographics a structured source records (CDA recordTarget); text gives none of these.
struct PersonName {
  std::string use;                           // FHIR name-use ("official"), "" when not stated
  std::vector<std::string> prefix, given, suffix;
  std::string family;
  std::string text;                          // a name given only as text
};
struct Address {
  std::string use;                           // FHIR address-use
  std::vector<std::string> lines;
  std::string city, district, state, postal_code, country;
};
struct ContactPoint {
  std::string system;                        // phone, email, fax, url
  std::string value;
  std::string use;                           // home, work, mobile
};

struct PatientFacts {
  std::vector<PersonName> names;
  std::string birth_date;                    // FHIR date at the precision recorded
  std::vector<Identifier> identifiers;
  std::vector<Address> addresses;
  std::vector<ContactPoint> telecoms;
  std::vector<SourceRef> record_sources;     // where the demographics were read
  std::optional<Gender> gender;
  std::vector<SourceRef> gender_sources;
  std::optional<Quantity> age;               // UCUM unit a, mo, wk or d
  std::vector<SourceRef> age_sources;
};

// Something the converter read but did not turn into a fact about the patient, with why.
// Nothing is dropped silently: these are reported (`casefhir convert --report`).
struct SetAside {
  SourceRef source;
  std::string concept_id;     // "" for a sentence with no known concept
  std::string reason;         // "general statement", "hypothetical", "negated family history", …
};

struct CaseFacts {
  // One case of a case series ("case-2"): every resource id includes it. "" for a single patient.
  std::string case_id;
  PatientFacts patient;
  std::vector<Fact> facts;            // in source order
  // The diagnosis the case is about (an index into facts: a confirmed patient Condition), when the
  // report names one. Written as the Encounter's diagnosis with rank 1.
  std::optional<std::size_t> principal_diagnosis;
  std::vector<SetAside> set_aside;    // in source order
  std::vector<SourceRef> unmapped;    // patient sentences in which no concept was found
};

// The free-text pipeline: sentences, sections, concepts, context, attributes → facts.
CaseFacts extract_facts(SourceDocument& doc, const Mappings& mappings);

std::string_view to_string(Assertion a);
std::string_view to_string(Experiencer e);

}  // namespace casefhir
