// readers/cda_reader.cpp — HL7 CDA R2 (C-CDA R2.1, eICR) → SourceDocument + CaseFacts.
//
// The coded entries are read by template, wherever they sit in the document: problem
// observations → disorders (Condition), result, vital-sign and social-history observations → lab
// facts (Observation), family history organizers → a relative's facts (FamilyMemberHistory), procedure
// activities → procedures; recordTarget → the patient's demographics. Each fact's identity is its
// entry's id (root|extension), else its XPath, and its source is that XPath.
//
// One bad entry never ends the document: a malformed date, code or value is left out of the fact
// it belongs to (or the entry is skipped when nothing of it is left) and reported in
// CaseFacts::set_aside with the XPath and the reason (`casefhir convert --report`).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "casefhir/errors.h"
#include "mapping/code_checks.h"
#include "mapping/code_systems.h"
#include "mapping/ucum.h"
#include "readers/reader.h"
#include "readers/xml.h"
#include "nlp/tokens.h"

namespace casefhir::readers {

namespace {

// C-CDA R2.1 templates (templateId/@root) this reader turns into facts.
constexpr std::string_view kProblemConcernAct = "2.16.840.1.113883.10.20.22.4.3";
constexpr std::string_view kProblemObservation = "2.16.840.1.113883.10.20.22.4.4";
constexpr std::string_view kProblemStatus = "2.16.840.1.113883.10.20.22.4.6";
constexpr std::string_view kResultObservation = "2.16.840.1.113883.10.20.22.4.2";
constexpr std::string_view kVitalSignObservation = "2.16.840.1.113883.10.20.22.4.27";
constexpr std::string_view kPregnancyObservation = "2.16.840.1.113883.10.20.15.3.8";
constexpr std::string_view kSocialHistoryObservations[] = {
    "2.16.840.1.113883.10.20.22.4.38",    // Social History Observation
    "2.16.840.1.113883.10.20.22.4.78",    // Smoking Status
    "2.16.840.1.113883.10.20.22.4.85",    // Tobacco Use
    "2.16.840.1.113883.10.20.22.4.200",   // Birth Sex
    kPregnancyObservation,
};
constexpr std::string_view kFamilyHistoryOrganizer = "2.16.840.1.113883.10.20.22.4.45";
constexpr std::string_view kFamilyHistoryObservation = "2.16.840.1.113883.10.20.22.4.46";
constexpr std::string_view kAgeObservation = "2.16.840.1.113883.10.20.22.4.31";
constexpr std::string_view kProcedureAct = "2.16.840.1.113883.10.20.22.4.12";
constexpr std::string_view kTravelHistory = "2.16.840.1.113883.10.20.15.2.3.1";   // eICR
constexpr std::string_view kTransportationDetails = "2.16.840.1.113883.10.20.15.2.3.50";   // eICR, in a travel act
// Reportability Response: per reportable condition, one Reportability Information Organizer per
// jurisdiction's location relevance, holding the Determination of Reportability.
constexpr std::string_view kReportabilityInformation = "2.16.840.1.113883.10.20.15.2.3.13";
constexpr std::string_view kDeterminationOfReportability = "2.16.840.1.113883.10.20.15.2.3.19";
constexpr std::string_view kEicrProcessingStatus = "2.16.840.1.113883.10.20.15.2.3.29";
constexpr std::string_view kProcedureObservation = "2.16.840.1.113883.10.20.22.4.13";
constexpr std::string_view kProcedureProcedure = "2.16.840.1.113883.10.20.22.4.14";

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-') || (!dash && !std::isxdigit(static_cast<unsigned char>(s[i])))) return false;
  }
  return true;
}

std::string trimmed(std::string s) {
  const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r'; };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

bool is_oid(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// Whether a concept read from the document names anything: a code or words.
bool names_something(const CodedConcept& c) { return !c.codes.empty() || !c.text.empty(); }

bool has_template(const xmlNode* n, std::string_view root) {
  for (const xmlNode* t : element_children(n, "templateId"))
    if (attribute_is(t, "root", root)) return true;
  return false;
}

// A FHIR decimal from an HL7 REAL/PQ value: optional sign, digits, optional fraction and exponent.
// Leading zeros and a '+' are dropped (FHIR's decimal has neither); anything else is not a number.
std::optional<std::string> fhir_decimal(std::string s) {
  if (!s.empty() && s.front() == '+') s.erase(0, 1);
  std::size_t i = 0;
  std::string out;
  if (i < s.size() && s[i] == '-') out += s[i++];
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  std::string digits = s.substr(int_start, i - int_start);
  if (i < s.size() && s[i] == '.' && digits.empty()) digits = "0";
  if (digits.empty()) return std::nullopt;
  while (digits.size() > 1 && digits.front() == '0') digits.erase(0, 1);
  out += digits;
  if (i < s.size() && s[i] == '.') {
    const std::size_t f = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == f) return std::nullopt;
    out += "." + s.substr(f, i - f);
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t e = i + 1;
    if (e < s.size() && (s[e] == '+' || s[e] == '-')) ++e;
    const std::size_t d = e;
    while (e < s.size() && s[e] >= '0' && s[e] <= '9') ++e;
    if (e == d) return std::nullopt;
    out += s.substr(i, e - i);
    i = e;
  }
  if (i != s.size()) return std::nullopt;
  if (out == "-0") out = "0";
  return out;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// An HL7 TS ("20151201", "201310200908-0500", "20131020090800.000+0000") as a FHIR dateTime at the
// precision recorded. FHIR requires a time zone with a time of day: a time without one keeps only
// its date. `date_only` gives a FHIR date (birthDate). nullopt when the value is not a TS.
std::optional<std::string> fhir_date_time(std::string_view ts, bool date_only = false) {
  std::size_t n = 0;
  while (n < ts.size() && ts[n] >= '0' && ts[n] <= '9') ++n;
  const std::string_view digits = ts.substr(0, n);
  std::string_view rest = ts.substr(n);
  if (!rest.empty() && rest.front() == '.') {   // fractional seconds: kept out (FHIR allows them, the precision rarely means anything)
    std::size_t f = 1;
    while (f < rest.size() && rest[f] >= '0' && rest[f] <= '9') ++f;
    if (f == 1 || digits.size() != 14) return std::nullopt;
    rest.remove_prefix(f);
  }
  if (digits.size() < 4 || digits.size() > 14 || digits.size() % 2 != 0) return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) { return std::stoi(std::string(digits.substr(at, len))); };
  const int year = number(0, 4);
  if (year < 1) return std::nullopt;
  std::string out(digits.substr(0, 4));
  if (digits.size() >= 6) {
    const int month = number(4, 2);
    if (month < 1 || month > 12) return std::nullopt;
    out += "-" + std::string(digits.substr(4, 2));
    if (digits.size() >= 8) {
      const int day = number(6, 2);
      if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
      out += "-" + std::string(digits.substr(6, 2));
    }
  }
  std::string zone;
  if (!rest.empty()) {
    if ((rest.front() != '+' && rest.front() != '-') || rest.size() != 5 ||
        !std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    const int zone_hours = std::stoi(std::string(rest.substr(1, 2))), zone_minutes = std::stoi(std::string(rest.substr(3, 2)));
    if (zone_hours > 14 || zone_minutes > 59 || (zone_hours == 14 && zone_minutes != 0)) return std::nullopt;
    zone = std::string(rest.substr(0, 3)) + ":" + std::string(rest.substr(3, 2));
  }
  if (digits.size() >= 10) {
    const int hour = number(8, 2);
    const int minute = digits.size() >= 12 ? number(10, 2) : 0;
    const int second = digits.size() >= 14 ? number(12, 2) : 0;
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    // FHIR's time has minutes: an hour alone keeps only its date rather than gain precision.
    if (!date_only && !zone.empty() && digits.size() >= 12) {
      out += "T" + std::string(digits.substr(8, 2)) + ":" + (digits.size() >= 12 ? std::string(digits.substr(10, 2)) : "00") +
             ":" + (digits.size() >= 14 ? std::string(digits.substr(12, 2)) : "00") + zone;
    }
  }
  return out;
}

class CdaReader {
 public:
  explicit CdaReader(CaseFacts& facts) : facts_(facts) {}

  void read(const xmlNode* root) {
    index_ids(root);
    walk(root);
  }

 private:
  CaseFacts& facts_;
  std::unordered_map<std::string, const xmlNode*> narrative_ids_;   // ID="…" → element (originalText references)

  void index_ids(const xmlNode* n) {
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      for (const xmlAttr* a = c->properties; a; a = a->next)
        if (a->name && std::strcmp(reinterpret_cast<const char*>(a->name), "ID") == 0) {
          if (std::string id = attribute(c, "ID"); !id.empty()) narrative_ids_.emplace(std::move(id), c);
          break;
        }
      index_ids(c);
    }
  }

  void report(const xmlNode* where, std::string reason) {
    facts_.set_aside.push_back(SetAside{SourceRef{{}, xpath_of(where)}, "", std::move(reason)});
  }

  void walk(const xmlNode* n) {
    for (const xmlNode* c : element_children(n)) {
      const std::string_view name = local_name(c);
      if (name == "recordTarget") {
        if (facts_.patient.record_sources.empty()) patient(c);
        continue;
      }
      if (!first_child(c, "templateId")) {   // most elements: only an untemplated entry observation can be a fact
        if (name == "observation" && is_entry_observation(c)) observation(c, category_of(c));
        else walk(c);
        continue;
      }
      if (has_template(c, kFamilyHistoryOrganizer)) {
        family_history(c);
        continue;
      }
      if (has_template(c, kProblemObservation) && name == "observation") {
        problem(c);
        continue;
      }
      if ((has_template(c, kReportabilityInformation) && name == "organizer") || (has_template(c, kEicrProcessingStatus) && name == "act")) {
        reportability(c);
        continue;
      }
      if (has_template(c, kTravelHistory) && name == "act") {
        travel(c);
        continue;
      }
      if (has_template(c, kProcedureProcedure) || has_template(c, kProcedureObservation) || has_template(c, kProcedureAct)) {
        procedure(c);
        continue;
      }
      if (name == "observation" && is_entry_observation(c)) {
        observation(c, category_of(c));
        continue;
      }
      walk(c);
    }
  }

  // An observation of its own: an event (not a plan or a goal) that is an entry of a section or a
  // component of an organizer. Observations inside another entry (its status, a severity, the age
  // at onset, a reaction) belong to that entry and are read with it.
  static bool is_entry_observation(const xmlNode* obs) {
    const std::string mood = attribute(obs, "moodCode");
    if (!mood.empty() && mood != "EVN") return false;
    const xmlNode* parent = obs->parent;
    if (!parent || parent->type != XML_ELEMENT_NODE) return true;   // a bare observation
    const std::string_view p = local_name(parent);
    if (p == "entry") return true;
    return p == "component" && parent->parent && parent->parent->type == XML_ELEMENT_NODE && local_name(parent->parent) == "organizer";
  }

  // Observation.category: from the template, else from the section it sits in (its LOINC code).
  static const char* category_of(const xmlNode* obs) {
    if (has_template(obs, kVitalSignObservation)) return "vital-signs";
    if (has_template(obs, kResultObservation)) return "laboratory";
    for (const std::string_view t : kSocialHistoryObservations)
      if (has_template(obs, t)) return "social-history";
    for (const xmlNode* p = obs->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent) {
      if (local_name(p) != "section") continue;
      const std::string code = attribute(section_code(p), "code");
      if (code == "8716-3") return "vital-signs";
      if (code == "30954-2") return "laboratory";
      if (code == "29762-2") return "social-history";
      break;
    }
    return "none";   // no R4 observation category fits (functional or cognitive status, a pregnancy's outcome)
  }

  // A section's <code>: among the children before its first entry, so that a section of 40,000
  // entries and no code is not searched once per entry.
  static const xmlNode* section_code(const xmlNode* section) {
    for (const xmlNode* c : element_children(section)) {
      const std::string_view name = local_name(c);
      if (name == "code") return c;
      if (name == "entry" || name == "component") return nullptr;
    }
    return nullptr;
  }

  // ---- datatypes ----

  // The words of an originalText or text element: the narrative its <reference value="#id">
  // points at, else its own text.
  std::string referenced_text(const xmlNode* container) {
    if (!container) return {};
    if (const xmlNode* ref = first_child(container, "reference")) {
      std::string target = attribute(ref, "value");
      if (!target.empty() && target.front() == '#') target.erase(0, 1);
      if (const auto it = narrative_ids_.find(target); it != narrative_ids_.end()) return text_of(it->second);
    }
    return text_of(container);
  }
  std::string original_text(const xmlNode* cd) { return referenced_text(first_child(cd, "originalText")); }

  // targetSiteCode elements → body sites.
  std::vector<BodySite> body_sites(const xmlNode* entry) {
    std::vector<BodySite> sites;
    for (const xmlNode* site : element_children(entry, "targetSiteCode")) {
      BodySite b;
      b.site = concept_of(site, entry, ConceptKind::finding);
      b.text = b.site.text;
      b.source = SourceRef{{}, xpath_of(site)};
      if (names_something(b.site)) sites.push_back(std::move(b));
    }
    return sites;
  }

  std::optional<Coding> coding(const xmlNode* cd, const xmlNode* entry) {
    const std::string code = attribute(cd, "code");
    if (code.empty()) return std::nullopt;
    const std::string oid = attribute(cd, "codeSystem");
    if (!is_oid(oid)) {
      report(entry, "code \"" + code + "\" has " + (oid.empty() ? "no codeSystem" : "codeSystem \"" + oid + "\", not an OID") +
                        ": left out");
      return std::nullopt;
    }
    if (code.find_first_of(" \t\r\n") != std::string::npos) {
      report(entry, "code \"" + code + "\" contains white space: left out");
      return std::nullopt;
    }
    Coding c{mapping::system_of_oid(oid), code, trimmed(attribute(cd, "displayName")), {}};
    // A code that its system's check refutes (a SNOMED CT identifier labelled LOINC) is kept as the
    // source states it, and reported. LOINC's answer and part codes (LA…, LP…) have no such check.
    if (!(c.system == mapping::kLoinc && code.front() == 'L'))
      if (auto why = mapping::check_code(c.system, code)) report(entry, *why + ": kept as the document states it");
    return c;
  }

  // A CD/CE: its own code first, then its translations; text from displayName or originalText.
  CodedConcept concept_of(const xmlNode* cd, const xmlNode* entry, ConceptKind kind) {
    CodedConcept c;
    c.kind = kind;
    if (!cd) return c;
    if (auto own = coding(cd, entry)) c.codes.push_back(std::move(*own));
    for (const xmlNode* t : element_children(cd, "translation"))
      if (auto tr = coding(t, entry)) c.codes.push_back(std::move(*tr));
    c.text = original_text(cd);
    if (c.text.empty()) c.text = trimmed(attribute(cd, "displayName"));
    if (c.text.empty() && !c.codes.empty()) c.text = c.codes.front().display;
    return c;
  }

  // A fact of an entry: its identity, the entry's element as its source, and its concept read from
  // `coded` (the entry's code, or its value for a problem).
  Fact new_fact(const xmlNode* entry, const xmlNode* coded, ConceptKind kind) {
    Fact f;
    f.identity = identity(entry);
    f.sources.push_back(SourceRef{{}, xpath_of(entry)});
    f.code = concept_of(coded, entry, kind);
    return f;
  }

  // eICR trigger codes: a code or value of the entry (or one of their translations) that carries
  // the RCTC value set it was matched in (sdtc:valueSet, sdtc:valueSetVersion).
  static std::vector<TriggerCode> triggers_of(const xmlNode* entry) {
    std::vector<TriggerCode> out;
    auto take = [&](const xmlNode* cd) {
      const std::string value_set = attribute(cd, "valueSet"), code = attribute(cd, "code");
      const std::string oid = attribute(cd, "codeSystem");
      if (value_set.empty() || code.empty() || !is_oid(oid)) return;
      out.push_back(TriggerCode{Coding{mapping::system_of_oid(oid), code, trimmed(attribute(cd, "displayName")), {}}, value_set,
                                attribute(cd, "valueSetVersion")});
    };
    for (const char* part : {"code", "value"})
      for (const xmlNode* cd : element_children(entry, part)) {
        take(cd);
        for (const xmlNode* t : element_children(cd, "translation")) take(t);
      }
    return out;
  }

  std::string identity(const xmlNode* entry) {
    for (const xmlNode* id : element_children(entry, "id")) {
      const std::string root = attribute(id, "root");
      if (root.empty() || has_attribute(id, "nullFlavor")) continue;
      const std::string ext = attribute(id, "extension");
      return ext.empty() ? root : root + "|" + ext;
    }
    return xpath_of(entry);
  }

  std::optional<std::string> date_of(const xmlNode* ts, const xmlNode* entry, std::string_view what) {
    if (!ts || has_attribute(ts, "nullFlavor")) return std::nullopt;
    const std::string value = attribute(ts, "value");
    if (value.empty()) return std::nullopt;
    auto date = fhir_date_time(value);
    if (!date) report(entry, std::string(what) + " \"" + value + "\" is not an HL7 timestamp: left out");
    return date;
  }

  // effectiveTime: its value, else its low; and its high (when it ended).
  void times(const xmlNode* entry, Fact& f, bool onset) {
    const xmlNode* et = first_child(entry, "effectiveTime");
    if (!et) return;
    std::optional<std::string> start = date_of(et, entry, "effectiveTime");
    if (!start) start = date_of(first_child(et, "low"), entry, "effectiveTime/low");
    if (start) f.date = FactDate{*start, onset, SourceRef{{}, xpath_of(et)}};
    if (auto end = date_of(first_child(et, "high"), entry, "effectiveTime/high")) {
      // Dates of one precision compare as text; an end before the start is kept but said.
      if (start && end->size() == start->size() && *end < *start)
        report(entry, "effectiveTime ends (" + *end + ") before it starts (" + *start + ")");
      f.end = FactDate{*end, onset, SourceRef{{}, xpath_of(et)}};
    }
  }

  std::optional<Quantity> quantity(const xmlNode* pq, const xmlNode* entry) {
    if (!pq || has_attribute(pq, "nullFlavor")) return std::nullopt;
    const std::string raw = attribute(pq, "value");
    if (raw.empty()) return std::nullopt;
    const auto decimal = fhir_decimal(raw);
    if (!decimal) {
      report(entry, "value \"" + raw + "\" is not a number: left out");
      return std::nullopt;
    }
    Quantity q;
    q.value_text = *decimal;
    q.value = std::strtod(decimal->c_str(), nullptr);
    if (!std::isfinite(q.value)) {
      report(entry, "value \"" + raw + "\" is out of range: left out");
      return std::nullopt;
    }
    std::string unit = attribute(pq, "unit");
    // PQ's unit is UCUM by definition; one this library cannot read as UCUM is kept as text only,
    // so that no system claims a code it may not be.
    if (!unit.empty() && unit != "1") {
      if (mapping::ucum_dimension(unit)) q.unit = unit;
      q.unit_text = unit;
    }
    return q;
  }

  // ---- entries ----

  void patient(const xmlNode* record_target) {
    PatientFacts& p = facts_.patient;
    const xmlNode* role = first_child(record_target, "patientRole");
    if (!role) return;
    p.record_sources.push_back(SourceRef{{}, xpath_of(role)});
    for (const xmlNode* id : element_children(role, "id")) {
      const std::string root = attribute(id, "root"), ext = attribute(id, "extension");
      if (root.empty() || has_attribute(id, "nullFlavor")) continue;
      if (!is_oid(root) && !is_uuid(root)) {
        report(id, "identifier root \"" + root + "\" is neither an OID nor a UUID: left out");
        continue;
      }
      if (ext.empty()) p.identifiers.push_back({"urn:ietf:rfc:3986", (is_oid(root) ? "urn:oid:" : "urn:uuid:") + nlp::ascii_lower(root)});
      else p.identifiers.push_back({is_oid(root) ? mapping::system_of_oid(root) : "urn:uuid:" + nlp::ascii_lower(root), ext});
    }
    for (const xmlNode* a : element_children(role, "addr")) {
      if (has_attribute(a, "nullFlavor")) continue;
      Address addr;
      const std::string use = attribute(a, "use");
      addr.use = use == "H" || use == "HP" || use == "HV" ? "home" : use == "WP" ? "work" : use == "TMP" ? "temp" : use == "OLD" || use == "BAD" ? "old" : "";
      for (const xmlNode* l : element_children(a, "streetAddressLine"))
        if (auto t = text_of(l); !t.empty()) addr.lines.push_back(std::move(t));
      addr.city = text_of(first_child(a, "city"));
      addr.district = text_of(first_child(a, "county"));
      addr.state = text_of(first_child(a, "state"));
      addr.postal_code = text_of(first_child(a, "postalCode"));
      addr.country = text_of(first_child(a, "country"));
      if (!addr.lines.empty() || !addr.city.empty() || !addr.state.empty() || !addr.postal_code.empty() || !addr.country.empty())
        p.addresses.push_back(std::move(addr));
    }
    for (const xmlNode* t : element_children(role, "telecom")) {
      std::string value = attribute(t, "value");
      if (value.empty() || has_attribute(t, "nullFlavor")) continue;
      ContactPoint cp;
      if (value.rfind("tel:", 0) == 0) cp = {"phone", value.substr(4), ""};
      else if (value.rfind("mailto:", 0) == 0) cp = {"email", value.substr(7), ""};
      else if (value.rfind("fax:", 0) == 0) cp = {"fax", value.substr(4), ""};
      else if (value.rfind("http", 0) == 0) cp = {"url", value, ""};
      else cp = {"other", value, ""};
      const std::string use = attribute(t, "use");
      cp.use = use == "HP" || use == "H" || use == "HV" ? "home" : use == "WP" ? "work" : use == "MC" ? "mobile" : use == "TMP" ? "temp" : "";
      if (!cp.value.empty()) p.telecoms.push_back(std::move(cp));
    }
    const xmlNode* person = first_child(role, "patient");
    for (const xmlNode* nm : element_children(person, "name")) {
      PersonName name;
      const std::string use = attribute(nm, "use");
      name.use = use == "L" ? "official" : use == "P" || use == "A" ? "nickname" : use == "ANON" ? "anonymous" : use == "ASGN" ? "usual" : "";
      for (const xmlNode* part : element_children(nm)) {
        const std::string t = text_of(part);
        if (t.empty()) continue;
        const std::string_view k = local_name(part);
        if (k == "given") name.given.push_back(t);
        else if (k == "family" && name.family.empty()) name.family = t;
        else if (k == "prefix") name.prefix.push_back(t);
        else if (k == "suffix") name.suffix.push_back(t);
      }
      if (name.given.empty() && name.family.empty()) name.text = text_of(nm);
      if (!name.given.empty() || !name.family.empty() || !name.text.empty()) p.names.push_back(std::move(name));
    }
    if (const xmlNode* g = first_child(person, "administrativeGenderCode")) {
      const std::string code = attribute(g, "code");
      if (code == "M") p.gender = Gender::male;
      else if (code == "F") p.gender = Gender::female;
      else if (code == "UN") p.gender = Gender::other;
      else if (has_attribute(g, "nullFlavor")) p.gender = Gender::unknown;
      if (p.gender) p.gender_sources.push_back(SourceRef{{}, xpath_of(g)});
    }
    if (const xmlNode* b = first_child(person, "birthTime"); b && !has_attribute(b, "nullFlavor")) {
      const std::string value = attribute(b, "value");
      if (auto d = fhir_date_time(value, true)) p.birth_date = *d;
      else if (!value.empty()) report(b, "birthTime \"" + value + "\" is not an HL7 timestamp: left out");
    }
  }

  // The Problem Concern Act around a problem observation, if any.
  static const xmlNode* concern_of(const xmlNode* obs) {
    for (const xmlNode* p = obs->parent; p && p->type == XML_ELEMENT_NODE; p = p->parent)
      if (local_name(p) == "act" && has_template(p, kProblemConcernAct)) return p;
    return nullptr;
  }

  void problem(const xmlNode* obs) {
    Fact f = new_fact(obs, first_child(obs, "value"), ConceptKind::disorder);
    if (!names_something(f.code)) {
      report(obs, "problem observation without a coded or written value: skipped");
      return;
    }
    f.assertion = attribute(obs, "negationInd") == "true" ? Assertion::absent : Assertion::present;
    times(obs, f, true);
    f.sites = body_sites(obs);
    // Clinical status: the Problem Status observation when there is one, else an end date, else the
    // concern act's status.
    std::string status;
    for (const xmlNode* er : element_children(obs, "entryRelationship"))
      for (const xmlNode* o : element_children(er, "observation"))
        if (has_template(o, kProblemStatus))
          if (const xmlNode* v = first_child(o, "value")) status = attribute(v, "code");
    if (status == "73425007") f.temporality = Temporality::historical;       // Inactive
    else if (status == "413322009") f.temporality = Temporality::resolved;   // Resolved
    else if (status == "55561003" && f.end) {   // FHIR (con-4): an abated condition is not active
      f.temporality = Temporality::resolved;
      report(obs, "problem status Active with an end date: written as resolved");
    } else if (status == "55561003") f.temporality = Temporality::current;
    else if (f.end) f.temporality = Temporality::resolved;
    else if (const xmlNode* concern = concern_of(obs)) {
      const std::string act_status = attribute(first_child(concern, "statusCode"), "code");
      if (act_status == "completed") f.temporality = Temporality::resolved;
      else if (act_status == "suspended" || act_status == "aborted") f.temporality = Temporality::historical;
    }
    f.triggers = triggers_of(obs);
    facts_.facts.push_back(std::move(f));
  }

  void observation(const xmlNode* obs, const char* category) {
    Fact f = new_fact(obs, first_child(obs, "code"), ConceptKind::lab);
    if (!names_something(f.code)) {
      report(obs, std::string(category) + " observation without a code: skipped");
      return;
    }
    f.observation_category = category;
    // A Pregnancy Observation is coded ASSERTION (the value says pregnant or not): what it observes
    // is the pregnancy status, LOINC 82810-3, as FHIR's pregnancy-status profiles code it.
    if (has_template(obs, kPregnancyObservation) && f.code.codes.size() == 1 && f.code.codes[0].code == "ASSERTION")
      f.code.codes[0] = Coding{"http://loinc.org", "82810-3", "Pregnancy status", ""};
    const std::string status = attribute(first_child(obs, "statusCode"), "code");
    f.status = status == "active" || status == "held" || status == "suspended" ? "preliminary"
               : status == "new"                                              ? "registered"
               : status == "aborted" || status == "cancelled"                 ? "cancelled"
               : status == "nullified"                                        ? "entered-in-error"
                                                                              : "final";
    times(obs, f, false);
    f.end.reset();
    LabResult r;
    if (const xmlNode* v = first_child(obs, "value"); v && !has_attribute(v, "nullFlavor")) {
      std::string type = attribute(v, "type");
      if (const auto colon = type.find(':'); colon != std::string::npos) type.erase(0, colon + 1);   // "cda:PQ"
      if (type == "PQ" || type == "REAL" || type == "INT") {
        r.value = quantity(v, obs);
      } else if (type == "IVL_PQ") {
        auto low = quantity(first_child(v, "low"), obs);
        auto high = quantity(first_child(v, "high"), obs);
        const bool low_open = attribute(first_child(v, "low"), "inclusive") == "false";
        const bool high_open = attribute(first_child(v, "high"), "inclusive") == "false";
        // "<= 5": a high bound with no low, or a low of zero (how C-CDA writes a less-than).
        if (high && (!low || low->value == 0)) {
          r.value = high;
          r.value->comparator = high_open ? Comparator::lt : Comparator::le;
        } else if (low && !high) {
          r.value = low;
          r.value->comparator = low_open ? Comparator::gt : Comparator::ge;
        } else if (low && high && low->value > high->value) {
          report(obs, "value interval from " + low->value_text + " to " + high->value_text + " is empty: left out");
        } else if (low && high) {
          r.between = std::make_pair(*low, *high);
        }
      } else if (type == "CD" || type == "CE" || type == "CO" || type == "CV") {
        CodedConcept coded = concept_of(v, obs, ConceptKind::finding);
        if (names_something(coded)) r.coded_value = std::move(coded);
      } else if (type == "ST" || type == "ED") {
        r.string_value = text_of(v);
      } else if (type == "BL") {
        const std::string b = attribute(v, "value");
        if (b == "true" || b == "false") r.boolean_value = b == "true";
        else report(obs, "boolean value \"" + b + "\" is neither true nor false: left out");
      } else if (type == "TS") {
        r.date_time_value = date_of(v, obs, "value").value_or("");
      } else if (type == "RTO" || type == "RTO_PQ_PQ" || type == "RTO_INT_INT") {
        auto numerator = quantity(first_child(v, "numerator"), obs);
        auto denominator = quantity(first_child(v, "denominator"), obs);
        if (numerator && denominator) r.ratio = std::make_pair(*numerator, *denominator);
      } else if (!type.empty()) {
        report(obs, "value of type " + type + " is not read: left out");
      }
    } else if (v) {
      // A coded value with a null flavor may still say what was found in its words ("NOT DETECTED").
      if (std::string text = original_text(v); !text.empty()) r.coded_value = CodedConcept{"", ConceptKind::finding, {}, std::move(text)};
    }
    for (const xmlNode* ic : element_children(obs, "interpretationCode"))
      if (auto c = coding(ic, obs)) r.interpretation_codes.push_back(std::move(*c));
    // The first reference range with bounds; else the first stated only in words.
    for (const xmlNode* rr : element_children(obs, "referenceRange")) {
      const xmlNode* range = first_child(rr, "observationRange");
      if (!range) continue;
      std::optional<Quantity> low, high;
      if (const xmlNode* v = first_child(range, "value"); v && attribute(v, "type").ends_with("IVL_PQ")) {
        low = quantity(first_child(v, "low"), obs);
        high = quantity(first_child(v, "high"), obs);
      }
      const std::string text = referenced_text(first_child(range, "text"));
      if (low || high) {
        r.range_low = low;
        r.range_high = high;
        r.range_text = text;
        break;
      }
      if (r.range_text.empty()) r.range_text = text;
    }
    f.result = std::move(r);
    f.triggers = triggers_of(obs);
    facts_.facts.push_back(std::move(f));
    // Observations of their own template inside this one (a pregnancy's outcome, the diet within
    // a nutrition assessment) are statements of their own, in the same category.
    for (const xmlNode* er : element_children(obs, "entryRelationship")) {
      for (const xmlNode* inner : element_children(er, "observation"))
        if (is_statement_of_its_own(inner)) observation(inner, category);
      for (const xmlNode* inner : element_children(er, "organizer"))   // a reportable condition's determinations
        if (has_template(inner, kReportabilityInformation)) reportability(inner);
    }
  }

  // A nested observation that states something itself: an event with a template, a code and a
  // value, and not one of the templates that qualify the observation around it.
  static bool is_statement_of_its_own(const xmlNode* obs) {
    static constexpr std::string_view kQualifiers[] = {
        kProblemStatus, kAgeObservation,
        "2.16.840.1.113883.10.20.22.4.8",     // Severity
        "2.16.840.1.113883.10.20.22.4.9",     // Reaction
        "2.16.840.1.113883.10.20.22.4.28",    // Allergy Status
        "2.16.840.1.113883.10.20.22.4.145",   // Criticality
        "2.16.840.1.113883.10.20.22.4.19",    // Indication
    };
    const std::string mood = attribute(obs, "moodCode");
    if ((!mood.empty() && mood != "EVN") || !first_child(obs, "templateId") || !first_child(obs, "code") || !first_child(obs, "value"))
      return false;
    return std::none_of(std::begin(kQualifiers), std::end(kQualifiers), [&](std::string_view t) { return has_template(obs, t); });
  }

  void family_history(const xmlNode* organizer) {
    const xmlNode* related = first_child(first_child(organizer, "subject"), "relatedSubject");
    const xmlNode* relation = first_child(related, "code");
    const auto relationship = relation ? coding(relation, organizer) : std::nullopt;
    if (!relationship) {
      report(organizer, "family history without the relative's relationship: skipped");
      return;
    }
    const std::string relative = identity(organizer);
    for (const xmlNode* component : element_children(organizer, "component")) {
      for (const xmlNode* obs : element_children(component, "observation")) {
        if (!has_template(obs, kFamilyHistoryObservation)) continue;
        Fact f = new_fact(obs, first_child(obs, "value"), ConceptKind::disorder);
        if (!names_something(f.code)) {
          report(obs, "family history observation without a value: skipped");
          continue;
        }
        if (attribute(obs, "negationInd") == "true") {   // "no family history of X": not a relative's condition
          report(obs, "negated family history: not a condition of the relative");
          continue;
        }
        f.experiencer = Experiencer::family;
        f.relationship = relationship;
        f.relative = relative;
        for (const xmlNode* er : element_children(obs, "entryRelationship"))
          for (const xmlNode* o : element_children(er, "observation"))
            if (has_template(o, kAgeObservation))
              if (auto age = quantity(first_child(o, "value"), o); age && !age->unit.empty())
                f.onset = Onset{"", age, false, SourceRef{{}, xpath_of(o)}};
        facts_.facts.push_back(std::move(f));
      }
    }
  }

  // eICR travel history: an Observation "Travel" whose value says where (the text, else the coded
  // place or its address), over the period stated.
  void travel(const xmlNode* act) {
    Fact f = new_fact(act, first_child(act, "code"), ConceptKind::lab);
    if (!names_something(f.code)) f.code.text = "Travel";
    f.observation_category = "social-history";
    times(act, f, false);
    if (!f.date && f.end) std::swap(f.date, f.end);   // only "until": the date the statement was made
    LabResult r;
    r.string_value = referenced_text(first_child(act, "text"));
    const xmlNode* place = nullptr;
    for (const xmlNode* p : element_children(act, "participant"))
      if (attribute(p, "typeCode") == "LOC") place = first_child(p, "participantRole");
    if (r.string_value.empty() && place) {
      if (const xmlNode* code = first_child(place, "code")) {
        CodedConcept where = concept_of(code, act, ConceptKind::finding);
        if (names_something(where)) r.coded_value = std::move(where);
      }
      if (!r.coded_value) {
        std::string where;
        if (const xmlNode* addr = first_child(place, "addr"))
          for (const char* part : {"streetAddressLine", "city", "state", "postalCode", "country"})
            for (const xmlNode* e : element_children(addr, part))
              if (std::string t = text_of(e); !t.empty()) where += (where.empty() ? "" : ", ") + t;
        r.string_value = where;
      }
    }
    f.result = std::move(r);
    facts_.facts.push_back(std::move(f));
    // What the act tells of the journey: the purpose of travel, and how the patient travelled.
    for (const xmlNode* er : element_children(act, "entryRelationship")) {
      for (const xmlNode* inner : element_children(er, "observation"))
        if (is_statement_of_its_own(inner)) observation(inner, "social-history");
      for (const xmlNode* inner : element_children(er, "organizer"))
        if (has_template(inner, kTransportationDetails)) transportation(inner);
    }
  }

  // eICR Transportation Details: an Observation "Transportation details" (SNOMED CT 424483007)
  // whose value is the vehicle the organizer's code names, over the organizer's period; its
  // components (a ship's name, a seat) are Observations of their own.
  void transportation(const xmlNode* organizer) {
    Fact f = new_fact(organizer, nullptr, ConceptKind::lab);
    f.code.codes.push_back(Coding{"http://snomed.info/sct", "424483007", "Transportation details", ""});
    f.observation_category = "social-history";
    times(organizer, f, false);
    LabResult r;
    CodedConcept vehicle = concept_of(first_child(organizer, "code"), organizer, ConceptKind::finding);
    if (names_something(vehicle)) r.coded_value = std::move(vehicle);
    f.result = std::move(r);
    facts_.facts.push_back(std::move(f));
    for (const xmlNode* component : element_children(organizer, "component"))
      for (const xmlNode* obs : element_children(component, "observation"))
        if (is_entry_observation(obs)) observation(obs, "social-history");
  }

  // A Reportability Response's determination for one jurisdiction: an Observation whose code is
  // the organizer's (the location relevance, "Patient home address") and whose value is the
  // determination ("Reportable", "No rule met"). Also the response's eICR processing status
  // ("eICR processed"), which is a code alone.
  void reportability(const xmlNode* organizer) {
    Fact f = new_fact(organizer, first_child(organizer, "code"), ConceptKind::lab);
    if (!names_something(f.code)) {
      report(organizer, "reportability information without a code: skipped");
      return;
    }
    f.observation_category = "none";
    LabResult r;
    for (const xmlNode* component : element_children(organizer, "component"))
      for (const xmlNode* obs : element_children(component, "observation"))
        if (has_template(obs, kDeterminationOfReportability) && !r.coded_value) {
          CodedConcept determination = concept_of(first_child(obs, "value"), obs, ConceptKind::finding);
          if (names_something(determination)) r.coded_value = std::move(determination);
        }
    f.result = std::move(r);
    facts_.facts.push_back(std::move(f));
  }

  void procedure(const xmlNode* entry) {
    Fact f = new_fact(entry, first_child(entry, "code"), ConceptKind::procedure);
    if (!names_something(f.code)) {
      report(entry, "procedure without a code: skipped");
      return;
    }
    const std::string status = attribute(first_child(entry, "statusCode"), "code");
    if (attribute(entry, "negationInd") == "true" || status == "cancelled") f.assertion = Assertion::absent;
    else if (status == "active") f.status = "in-progress";
    else if (status == "aborted") f.status = "stopped";
    else if (status == "new") f.status = "preparation";
    else if (status == "held" || status == "suspended") f.status = "on-hold";
    const std::string mood = attribute(entry, "moodCode");
    if (mood == "INT" || mood == "RQO" || mood == "PRP" || mood == "ARQ" || mood == "APT") {
      report(entry, "planned procedure (moodCode " + mood + "): not a procedure done");
      return;
    }
    times(entry, f, false);
    f.end.reset();
    f.sites = body_sites(entry);
    f.triggers = triggers_of(entry);
    facts_.facts.push_back(std::move(f));
  }
};

// ---- narrative (--narrative) ----

// A section's narrative as the text pipeline reads it: the section title as a heading line (so the
// pipeline gives the section its role), then the text laid out as prose, so that a cue governs what
// the markup puts under it and nothing else:
//   - a row is a paragraph, its first cell a label: "Fever | No" reads "Fever: No";
//   - a paragraph, caption or table ends a paragraph, unless it ends with a colon ("Denies:"), which
//     then leads into what follows;
//   - list items run on, separated by commas, and the list ends a sentence ("Denies: nausea,
//     vomiting."); an item that is a sentence of its own stays one;
//   - a superscript after a digit is a power ("10<sup>9</sup>/L" reads "10^9/L").
// `pieces` maps each text node back to its place in the string-value of the <text> element, which
// is what provenance offsets count; the separators map to nothing.
struct Narrative {
  std::string text;
  std::uint32_t body_start = 0;
  std::string value;   // XPath string(): the text nodes, nothing added
  struct Piece {
    std::uint32_t at;         // in text
    std::uint32_t value_at;   // in value
    std::uint32_t size;
  };
  std::vector<Piece> pieces;

  char last_visible() const {
    for (auto it = text.rbegin(); it != text.rend(); ++it)
      if (*it != ' ' && *it != '\n' && *it != '\t' && *it != '\r') return *it;
    return '\0';
  }
  void end_block() {
    const char last = last_visible();
    if (last == ':') text += ' ';
    else if (last != '\0') text += "\n\n";
  }

  void collect(const xmlNode* n) {
    std::size_t cell = 0;   // cells of the current row
    for (const xmlNode* c = n->children; c; c = c->next) {
      if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
        const std::string_view t(reinterpret_cast<const char*>(c->content));
        pieces.push_back({static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(value.size()),
                          static_cast<std::uint32_t>(t.size())});
        text += t;
        value += t;
      } else if (c->type == XML_ELEMENT_NODE) {
        const std::string_view name = local_name(c);
        if (name == "br") {
          text += '\n';
          continue;
        }
        if (name == "sup" && !text.empty() && text.back() >= '0' && text.back() <= '9') text += '^';
        if ((name == "td" || name == "th") && cell > 0) {
          const char last = last_visible();
          text += cell == 1 && last != ':' ? ": " : last == ':' ? " " : "  ";
        }
        collect(c);
        if (name == "td" || name == "th") {
          ++cell;
        } else if (name == "item") {
          const char last = last_visible();
          text += last == '.' || last == '!' || last == '?' ? "\n\n" : ", ";
        } else if (name == "list") {
          while (!text.empty() && (text.back() == ' ' || text.back() == ',')) text.pop_back();   // separators only
          if (const char last = last_visible(); last != '.' && last != '\0') text += '.';
          text += "\n\n";
        } else if (name == "tr" || name == "paragraph" || name == "caption" || name == "table" || name == "thead" ||
                   name == "tbody") {
          end_block();
        }
      }
    }
  }

  // A span of `text` as offsets into `value`; nullopt when it covers only the title or separators.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> to_value(Span s) const {
    if (s.end <= body_start) return std::nullopt;
    const std::uint32_t b = std::max(s.begin, body_start), e = s.end;
    std::optional<std::uint32_t> vb, ve;
    for (const Piece& p : pieces) {
      if (!vb && b < p.at + p.size) vb = p.value_at + (b > p.at ? b - p.at : 0);
      if (e > p.at) ve = p.value_at + std::min(e - p.at, p.size);
    }
    if (!vb || !ve || *ve <= *vb) return std::nullopt;
    return std::make_pair(*vb, *ve);
  }
};

// Whether two facts name the same concept: a coding (system and code) in common.
bool share_a_code(const Fact& a, const Fact& b) {
  for (const Coding& x : a.code.codes)
    for (const Coding& y : b.code.codes)
      if (x.code == y.code && x.system == y.system) return true;
  return false;
}

// The narrative of every section without coded entries, through the text pipeline. A fact that a
// fact already in `facts` states (a shared code, the same person and the same assertion) adds its
// words to that fact's provenance instead of a second resource.
void read_narratives(const xmlNode* n, const Mappings& mappings, CaseFacts& facts) {
  for (const xmlNode* c : element_children(n)) {
    if (local_name(c) != "section") {
      read_narratives(c, mappings, facts);
      continue;
    }
    // A section with coded entries renders them in its narrative (tables of the same problems,
    // results, immunizations): its entries are the facts. The narrative of a section without
    // entries (history of present illness, assessment, reason for visit) is what only words say.
    const xmlNode* text = first_child(c, "text");
    if (text && !first_child(c, "entry")) {
      Narrative nar;
      nar.text = text_of(first_child(c, "title"));
      if (!nar.text.empty()) nar.text += '\n';
      nar.body_start = static_cast<std::uint32_t>(nar.text.size());
      nar.collect(text);
      if (std::any_of(nar.value.begin(), nar.value.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)); })) {
        SourceDocument d;
        d.name = "narrative";
        d.media_type = "text/plain";
        d.text = nar.text;
        d.code_points = CodePointIndex(d.text);
        CaseFacts found = extract_facts(d, mappings);
        const std::string path = xpath_of(text);
        const CodePointIndex value_points(nar.value);
        // Spans of the pipeline's text → code points of the element's string-value, with its path.
        auto map_ref = [&](SourceRef& r) {
          const auto v = nar.to_value(r.span);
          if (!v) {   // words of the title: the element, with no offsets into it
            r = SourceRef{{}, path};
            return false;
          }
          r = SourceRef{Span{value_points.offset(v->first), value_points.offset(v->second)}, path};
          return true;
        };
        auto map_refs = [&](std::vector<SourceRef>& refs) {
          std::vector<SourceRef> kept;
          for (SourceRef r : refs)
            if (map_ref(r)) kept.push_back(std::move(r));
          refs = std::move(kept);
        };
        // Each fact: merged into one already there, dropped (named only in the title), or kept.
        constexpr std::size_t kDropped = static_cast<std::size_t>(-1);
        std::vector<std::size_t> new_index(found.facts.size(), kDropped);
        std::vector<bool> kept(found.facts.size(), false);
        std::size_t next = facts.facts.size();
        for (std::size_t i = 0; i < found.facts.size(); ++i) {
          Fact& f = found.facts[i];
          map_refs(f.sources);
          for (BodySite& site : f.sites) map_ref(site.source);
          if (f.onset) map_ref(f.onset->source);
          if (f.date) map_ref(f.date->source);
          if (f.relative_time) map_ref(f.relative_time->source);
          if (f.resolution) map_ref(f.resolution->source);
          if (f.sources.empty()) continue;
          const auto states_the_same = [&](const Fact& g) {
            if (g.experiencer != f.experiencer || g.assertion != f.assertion || g.temporality != f.temporality) return false;
            if (f.relationship && (!g.relationship || g.relationship->code != f.relationship->code)) return false;
            // A result with a value is the same result only with the same value and unit.
            if (f.result && f.result->value) {
              if (!g.result || !g.result->value) return false;
              if (g.result->value->value != f.result->value->value || g.result->value->unit != f.result->value->unit) return false;
            }
            return share_a_code(f, g);
          };
          // Merged only into the one fact that states it: with two (serial results, two relatives
          // with the condition) the words do not say which.
          auto same = std::find_if(facts.facts.begin(), facts.facts.end(), states_the_same);
          if (same != facts.facts.end() && std::find_if(same + 1, facts.facts.end(), states_the_same) != facts.facts.end())
            same = facts.facts.end();
          if (same != facts.facts.end()) {
            new_index[i] = static_cast<std::size_t>(same - facts.facts.begin());
            for (const SourceRef& r : f.sources) same->sources.push_back(r);
          } else {
            kept[i] = true;
            new_index[i] = next++;
          }
        }
        for (std::size_t i = 0; i < found.facts.size(); ++i) {
          if (!kept[i]) continue;
          Fact f = std::move(found.facts[i]);
          std::vector<std::size_t> evidence;
          for (const auto e : f.evidence)
            if (new_index[e] != kDropped) evidence.push_back(new_index[e]);
          f.evidence = std::move(evidence);
          if (f.part_of) f.part_of = new_index[*f.part_of] == kDropped ? std::nullopt : std::optional<std::size_t>(new_index[*f.part_of]);
          if (f.relative_time && f.relative_time->procedure && new_index[*f.relative_time->procedure] == kDropped) f.relative_time.reset();
          else if (f.relative_time && f.relative_time->procedure) f.relative_time->procedure = new_index[*f.relative_time->procedure];
          f.identity = path + "#" + std::to_string(f.sources.front().span.begin) + "/" + f.code.id;
          facts.facts.push_back(std::move(f));
        }
        for (SetAside& a : found.set_aside)
          if (map_ref(a.source)) facts.set_aside.push_back(std::move(a));
        for (SourceRef& r : found.unmapped)
          if (map_ref(r)) facts.unmapped.push_back(std::move(r));
      }
    }
    read_narratives(c, mappings, facts);   // nested sections
  }
}

}  // namespace

bool is_cda(std::string_view bytes) {
  const std::string_view root = xml_root_name(bytes);
  if (root == "ClinicalDocument") return true;
  // HL7's examples are often bare pieces of a document (a <section>, or the <component> around
  // one): read them when they carry C-CDA templates.
  static constexpr std::string_view kFragments[] = {"section", "component", "structuredBody", "entry", "organizer"};
  return std::find(std::begin(kFragments), std::end(kFragments), root) != std::end(kFragments) &&
         bytes.find("2.16.840.1.113883.10.20.") != std::string_view::npos;
}

std::vector<Reading> read_cda(std::string_view bytes, std::string name, const ConvertOptions& options, const Mappings& mappings) {
  check_input_size(bytes, name, options.limits);
  std::vector<Reading> out(1);
  Reading& r = out.front();
  // White space is meaningful only in the narrative block (<text>), a value's words and a title.
  const XmlDocument xml(bytes, name, {"text", "originalText", "value", "title"});
  r.document.name = name;
  r.document.media_type = "application/xml";
  r.document.text.assign(bytes.data(), bytes.size());   // no code point index: sources are XPaths
  const xmlNode* root = xml.root();
  if (local_name(root) != "ClinicalDocument")
    r.facts.set_aside.push_back(SetAside{SourceRef{{}, xpath_of(root)}, "",
                                         "a bare <" + std::string(local_name(root)) + "> fragment, not a ClinicalDocument: no patient demographics"});
  for (const std::string& w : xml.warnings())
    r.facts.set_aside.push_back(SetAside{SourceRef{{}, "/"}, "", "XML namespace problem (" + w + "): read by local names"});
  CdaReader(r.facts).read(root);
  if (options.narrative) read_narratives(root, mappings, r.facts);
  return out;
}

}  // namespace casefhir::readers
