// fhir/resources.cpp — the resource writers. Element order follows the R4 StructureDefinitions
// so that output reads like the specification's examples.
#include "fhir/resources.h"

#include <algorithm>
#include <iterator>

#include "fhir/datatypes.h"
#include "mapping/code_checks.h"
#include "mapping/compiled.h"
#include "readers/utf8.h"

namespace casefhir::fhir {

namespace {

// A condition that, once had, lasts: an ICD-10-CM code in a category of
// `lasting-condition-categories` (diabetes, hypertension, chronic kidney disease) and not an acute
// event of `lasting-condition-exceptions` (E11.1 ketoacidosis). A history of it is a patient who has it.
bool lasting(const Fact& f, const Mappings& mappings) {
  const auto& m = mappings.compiled();
  const auto& exceptions = m.words(mapping::WordList::lasting_condition_exceptions);
  for (const Coding& c : f.code.codes) {
    if (c.system != mapping::kIcd10cm || c.code.size() < 3) continue;
    const std::string_view code = c.code;
    if (!m.words(mapping::WordList::lasting_condition_categories).contains_folded(code.substr(0, 3))) continue;
    std::string dotless;   // the exceptions are written without the dot: "E111" for E11.1x
    for (const char ch : code)
      if (ch != '.') dotless.push_back(ch);
    if (exceptions.contains_folded(std::string_view(dotless).substr(0, 4)) ||
        (dotless.size() >= 5 && exceptions.contains_folded(std::string_view(dotless).substr(0, 5))))
      continue;
    return true;
  }
  return false;
}

void write_category(JsonWriter& w, const std::optional<Coding>& category, const Mappings& mappings) {
  w.key("category");
  w.begin_array();
  write_mapped_coding(w, *category, mappings);
  w.end_array();
}

// The observation-category codes the text pipeline gives, with their displays: literals, so that
// write_hl7_concept renders each once.
struct ObservationCategory {
  const char* code;
  const char* display;
};
constexpr ObservationCategory kObservationCategories[] = {
    {"laboratory", "Laboratory"},   {"imaging", "Imaging"},     {"procedure", "Procedure"},
    {"vital-signs", "Vital Signs"}, {"social-history", "Social History"}, {"exam", "Exam"},
};

const char* interpretation_code(Interpretation i, const char*& display) {
  switch (i) {
    case Interpretation::normal: display = "Normal"; return "N";
    case Interpretation::high: display = "High"; return "H";
    case Interpretation::low: display = "Low"; return "L";
    case Interpretation::abnormal: display = "Abnormal"; return "A";
    case Interpretation::positive: display = "Positive"; return "POS";
    case Interpretation::negative: display = "Negative"; return "NEG";
    case Interpretation::none: break;
  }
  display = "";
  return nullptr;
}

void write_body_site(JsonWriter& w, const BuildContext& ctx, const BodySite& site) {
  static const std::string none;
  const std::string* structure = &none;
  if (site.laterality)
    if (const auto it = ctx.body_structures.find(site_key(site)); it != ctx.body_structures.end()) structure = &it->second;
  // The site as written ("right cheek"), coded as the mappings say.
  write_codeable_concept(w, site.site, site.text, ctx.mappings, *structure);
}

void write_body_sites(JsonWriter& w, const BuildContext& ctx, const std::vector<BodySite>& sites) {
  w.key("bodySite");
  w.begin_array();
  for (const auto& s : sites) write_body_site(w, ctx, s);
  w.end_array();
}

void write_onset(JsonWriter& w, const Onset& onset) {
  if (onset.age) {
    w.key("onsetAge");
    write_age(w, *onset.age);
  } else {
    w.field("onsetString", onset.text);
  }
}

// A time relative to the stay or a procedure, on the primitive element that would hold the date
// (`_effectiveDateTime`, `_recordedDate`, `_performedDateTime`): the core extension
// cqf-relativeDateTime, its target the Encounter (period, after its start or end) or the Procedure
// (performed, after its end), its offset the duration written, or "0 days or more" when the report
// gives none ("at follow-up"). Written only when the target is in the Bundle.
void write_relative_time(JsonWriter& w, const BuildContext& ctx, const char* element, const RelativeTime& t) {
  using Anchor = RelativeTime::Anchor;
  // (build_bundle has checked the index; `performed` is an element of a Procedure only)
  if (t.anchor == Anchor::procedure && ctx.facts.facts[*t.procedure].code.kind != ConceptKind::procedure) return;
  const std::optional<UuidText>& target = t.anchor == Anchor::procedure ? ctx.fact_ids[*t.procedure] : ctx.encounter_id;
  if (!target) return;
  w.key(std::string("_") + element);
  w.begin_object();
  w.key("extension");
  w.begin_array();
  w.begin_object();
  w.field("url", "http://hl7.org/fhir/StructureDefinition/cqf-relativeDateTime");
  w.key("extension");
  w.begin_array();
  w.begin_object();
  w.field("url", "target");
  w.key("valueReference");
  write_reference(w, *target);
  w.end_object();
  w.begin_object();
  w.field("url", "targetPath");
  w.field("valueString", t.anchor == Anchor::procedure ? "performed" : "period");
  w.end_object();
  w.begin_object();
  w.field("url", "relationship");
  w.field("valueCode", t.anchor == Anchor::stay_start ? "after-start" : "after-end");
  w.end_object();
  w.begin_object();
  w.field("url", "offset");
  if (t.offset) {
    w.key("valueDuration");
    write_age(w, *t.offset);
  } else {
    Quantity none;
    none.value = 0;
    none.value_text = "0";
    none.unit = "d";
    none.unit_text = "days";
    w.key("valueRange");
    w.begin_object();
    w.key("low");
    write_age(w, none);
    w.end_object();
  }
  w.end_object();
  w.end_array();
  w.end_object();
  w.end_array();
  w.end_object();
}

}  // namespace

// An id's name is "<SHA-1 of the source, hex>|ids:v1|<resource type>|<identity>". The first
// 48 bytes are the same for every resource of a document, so with the 16-byte namespace they fill
// exactly one SHA-1 block, hashed once per document.
BuildContext::BuildContext(const SourceDocument& d, const CaseFacts& f, const Mappings& m, const BundleOptions& o)
    : doc(d),
      facts(f),
      mappings(m),
      options(o),
      source_digest(sha1(d.text)),
      namer_(kIdNamespace, to_hex(source_digest) + "|ids:v1|") {}

BuildContext::BuildContext(const BuildContext& shared, const CaseFacts& f)
    : doc(shared.doc),
      facts(f),
      mappings(shared.mappings),
      options(shared.options),
      source_digest(shared.source_digest),
      namer_(shared.namer_) {}

UuidText BuildContext::id_for(std::string_view type, std::string_view identity) const {
  return namer_.uuid_text({type, "|", case_prefix, identity});
}

IdentifierValue identifier_for(std::string_view id) {
  // Every such name starts with the namespace and "identifier:v1|": hashed once, not per resource.
  static const UuidV5Namer namer(kIdNamespace, "identifier:v1|");
  const UuidText uuid = namer.uuid_text({id});
  IdentifierValue value;
  std::copy(uuid.chars.begin(), uuid.chars.end(), std::copy(kUrnUuid.begin(), kUrnUuid.end(), value.chars.begin()));
  return value;
}

std::string reference_to(const UuidText& id) {
  std::string reference;
  reference.reserve(kUrnUuid.size() + id.chars.size());
  reference.append(kUrnUuid).append(id.view());
  return reference;
}

std::string site_key(const BodySite& site) {
  return site.site.id + "/" + (site.laterality ? site.laterality->id : std::string());
}

void start_resource(JsonWriter& w, const BuildContext& ctx, const char* type, const ResourceId& id,
                    const std::vector<SourceRef>& sources, const std::vector<Identifier>& identifiers,
                    const std::vector<TriggerCode>& triggers) {
  w.begin_object();
  w.field("resourceType", type);
  if (ctx.options.type != BundleType::transaction) {
    w.key("id");
    w.trusted_value(id.view());
  }
  if (!sources.empty() || !triggers.empty()) {
    w.key("extension");
    w.begin_array();
    write_derivation_references(w, ctx.doc, ctx.document_ref, sources);
    write_trigger_flags(w, triggers);
    w.end_array();
  }
  w.key("identifier");
  if (!w.pretty() && identifiers.empty()) {
    // Compact, an array of casefhir's identifier alone is one piece of text after a fixed head
    // (every resource writes one; most have no other identifier).
    static const std::string head = std::string("[{\"system\":\"") + kIdentifierSystem + "\",\"value\":\"";
    constexpr std::string_view tail = "\"}]";
    const std::string_view value = id.identifier.view();
    char rest[sizeof(IdentifierValue::chars) + tail.size()];
    std::copy(tail.begin(), tail.end(), std::copy(value.begin(), value.end(), rest));
    w.raw_value(head, std::string_view(rest, sizeof rest));
    return;
  }
  w.begin_array();
  w.begin_object();
  w.field("system", kIdentifierSystem);
  w.key("value");
  w.trusted_value(id.identifier.view());
  w.end_object();
  for (const Identifier& i : identifiers) {
    w.begin_object();
    w.field("system", i.system);
    w.field("value", i.value);
    w.end_object();
  }
  w.end_array();
}

namespace {

void write_strings(JsonWriter& w, const char* key, const std::vector<std::string>& values) {
  if (values.empty()) return;
  w.key(key);
  w.begin_array();
  for (const auto& v : values) w.value(v);
  w.end_array();
}

void write_names(JsonWriter& w, const std::vector<PersonName>& names) {
  if (names.empty()) return;
  w.key("name");
  w.begin_array();
  for (const PersonName& n : names) {
    w.begin_object();
    if (!n.use.empty()) w.field("use", n.use);
    if (!n.text.empty()) w.field("text", n.text);
    if (!n.family.empty()) w.field("family", n.family);
    write_strings(w, "given", n.given);
    write_strings(w, "prefix", n.prefix);
    write_strings(w, "suffix", n.suffix);
    w.end_object();
  }
  w.end_array();
}

void write_telecoms(JsonWriter& w, const std::vector<ContactPoint>& telecoms) {
  if (telecoms.empty()) return;
  w.key("telecom");
  w.begin_array();
  for (const ContactPoint& t : telecoms) {
    w.begin_object();
    w.field("system", t.system);
    w.field("value", t.value);
    if (!t.use.empty()) w.field("use", t.use);
    w.end_object();
  }
  w.end_array();
}

void write_addresses(JsonWriter& w, const std::vector<Address>& addresses) {
  if (addresses.empty()) return;
  w.key("address");
  w.begin_array();
  for (const Address& a : addresses) {
    w.begin_object();
    if (!a.use.empty()) w.field("use", a.use);
    write_strings(w, "line", a.lines);
    if (!a.city.empty()) w.field("city", a.city);
    if (!a.district.empty()) w.field("district", a.district);
    if (!a.state.empty()) w.field("state", a.state);
    if (!a.postal_code.empty()) w.field("postalCode", a.postal_code);
    if (!a.country.empty()) w.field("country", a.country);
    w.end_object();
  }
  w.end_array();
}

const char* gender_code(Gender g) {
  switch (g) {
    case Gender::male: return "male";
    case Gender::female: return "female";
    case Gender::other: return "other";
    case Gender::unknown: return "unknown";
  }
  return "unknown";
}

}  // namespace

void write_patient(JsonWriter& w, const BuildContext& ctx, const ResourceId& id) {
  const PatientFacts& p = ctx.facts.patient;
  std::vector<SourceRef> sources = p.record_sources;
  for (const auto& s : p.gender_sources)
    if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  start_resource(w, ctx, "Patient", id, sources, p.identifiers);
  write_names(w, p.names);
  write_telecoms(w, p.telecoms);
  if (p.gender) w.field("gender", gender_code(*p.gender));
  if (!p.birth_date.empty()) w.field("birthDate", p.birth_date);
  write_addresses(w, p.addresses);
  w.end_object();
}

void write_age_observation(JsonWriter& w, const BuildContext& ctx, const ResourceId& id) {
  const PatientFacts& p = ctx.facts.patient;
  start_resource(w, ctx, "Observation", id, p.age_sources);
  w.field("status", "final");
  w.key("code");
  write_codeable_concept(w, ctx.mappings.demographics().age_codes, "Age");
  w.key("subject");
  write_reference(w, ctx.patient_id);
  w.key("valueQuantity");
  write_quantity(w, *p.age);
  w.end_object();
}

namespace {
void write_attachment(JsonWriter& w, std::string_view media_type, std::string_view data, const Sha1Digest& digest, const std::string& title) {
  w.begin_object();
  w.key("attachment");
  w.begin_object();
  const bool textual = media_type.rfind("text/", 0) == 0 || (media_type.size() >= 3 && media_type.substr(media_type.size() - 3) == "xml");
  w.field("contentType", std::string(media_type) + (textual ? "; charset=utf-8" : ""));
  w.key("data");
  w.base64_value(data);
  w.field("size", data.size());
  w.key("hash");
  w.base64_value(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  // File names are bytes; JSON text must be UTF-8. A name that is not is left out.
  if (!title.empty() && !readers::find_invalid_utf8(title)) w.field("title", title);
  w.end_object();
  w.end_object();
}
}  // namespace

void write_document_reference(JsonWriter& w, const BuildContext& ctx, const ResourceId& id) {
  const SourceDocument& doc = ctx.doc;
  start_resource(w, ctx, "DocumentReference", id, {}, doc.identifiers);
  w.field("status", "current");
  if (!doc.kind.empty()) {   // what the source says it is: a JATS article-type
    w.key("category");
    w.begin_array();
    w.begin_object();
    w.field("text", doc.kind);
    w.end_object();
    w.end_array();
  }
  if (!ctx.several_patients) {   // a case series' document is about each of its patients
    w.key("subject");
    write_reference(w, ctx.patient_id);
  }
  const bool xml = doc.media_type.size() >= 3 && doc.media_type.compare(doc.media_type.size() - 3, 3, "xml") == 0;
  w.field("description", doc.original_media_type == "application/pdf"
                             ? "The text casefhir read from the PDF (first attachment; the PDF as received is the second); "
                               "derivation-reference offsets count Unicode code points of the first"
                         : !doc.original.empty()
                             ? "The article laid out as text by casefhir (first attachment) from the XML as received (second); "
                               "derivation-reference offsets count Unicode code points of the first, paths are XPaths into the second"
                         : xml ? "Source document as received; derivation-reference paths are XPaths into it (elements by local name)"
                               : "Source text of the case report; derivation-reference offsets count its Unicode code points");
  std::string file;
  if (doc.name != "-" && !doc.name.empty()) {
    const auto slash = doc.name.find_last_of('/');
    file = slash == std::string::npos ? doc.name : doc.name.substr(slash + 1);
  }
  w.key("content");
  w.begin_array();
  write_attachment(w, doc.media_type, doc.text, ctx.source_digest, doc.title.empty() ? file : doc.title);
  if (!doc.original.empty()) write_attachment(w, doc.original_media_type, doc.original, sha1(doc.original), file);
  w.end_array();
  w.end_object();
}

void write_condition(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  start_resource(w, ctx, "Condition", id, f.sources, {}, f.triggers);
  // Negated → refuted follows the C-CDA on FHIR IG's negationInd mapping. A refuted condition also
  // gets clinicalStatus inactive: the validator's con-3 check warns on a Condition without one, and
  // R5 requires it whenever the status is not entered-in-error. Historical → inactive, unless the
  // condition lasts once had (a history of diabetes); resolved → resolved (the text pipeline has
  // already kept "for 10 years" and "treated with" conditions current).
  w.key("clinicalStatus");
  if (f.temporality == Temporality::resolved && f.assertion != Assertion::absent)
    write_hl7_concept(w, "condition-clinical", "resolved", "Resolved");
  else if (f.assertion == Assertion::absent || (f.temporality == Temporality::historical && !lasting(f, ctx.mappings)))
    write_hl7_concept(w, "condition-clinical", "inactive", "Inactive");
  else
    write_hl7_concept(w, "condition-clinical", "active", "Active");
  w.key("verificationStatus");
  switch (f.assertion) {
    case Assertion::present: write_hl7_concept(w, "condition-ver-status", "confirmed", "Confirmed"); break;
    case Assertion::absent: write_hl7_concept(w, "condition-ver-status", "refuted", "Refuted"); break;
    case Assertion::possible: write_hl7_concept(w, "condition-ver-status", "provisional", "Provisional"); break;
    case Assertion::differential: write_hl7_concept(w, "condition-ver-status", "differential", "Differential"); break;
  }
  if (const ResourceRule* rule = ctx.mappings.rule_for(f.code.kind); rule && rule->category) write_category(w, rule->category, ctx.mappings);
  w.key("code");
  write_codeable_concept(w, f.code, ctx.mappings);
  if (!f.sites.empty()) write_body_sites(w, ctx, f.sites);
  w.key("subject");
  write_reference(w, ctx.patient_id);
  if (f.date && f.date->onset) w.field("onsetDateTime", f.date->iso);
  else if (f.onset) write_onset(w, *f.onset);
  if (f.end && f.assertion != Assertion::absent) {
    w.field("abatementDateTime", f.end->iso);
  } else if (f.resolution && f.temporality == Temporality::resolved && f.assertion != Assertion::absent) {
    // Without a date, how it ended in the report's words ("subsided"), traced to them: which
    // mentions came before the resolution and which state it.
    w.field("abatementString", f.resolution->text);
    w.key("_abatementString");
    w.begin_object();
    w.key("extension");
    w.begin_array();
    write_derivation_references(w, ctx.doc, ctx.document_ref, {f.resolution->source});
    w.end_array();
    w.end_object();
  }
  // The date of the sentence that states it: when it was recorded, not when it began.
  if (f.date && !f.date->onset) w.field("recordedDate", f.date->iso);
  else if (!f.date && f.relative_time) write_relative_time(w, ctx, "recordedDate", *f.relative_time);
  bool any_evidence = false;
  for (const std::size_t e : f.evidence) any_evidence = any_evidence || ctx.fact_ids[e];
  if (any_evidence) {
    w.key("evidence");
    w.begin_array();
    w.begin_object();
    w.key("detail");
    w.begin_array();
    for (const std::size_t e : f.evidence)
      if (ctx.fact_ids[e]) write_reference(w, *ctx.fact_ids[e]);
    w.end_array();
    w.end_object();
    w.end_array();
  }
  w.end_object();
}

void write_observation(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  const ObservationValues& values = ctx.mappings.observation_values();
  start_resource(w, ctx, "Observation", id, f.sources, {}, f.triggers);
  if (f.part_of && ctx.fact_ids[*f.part_of]) {
    w.key("partOf");
    w.begin_array();
    write_reference(w, *ctx.fact_ids[*f.part_of]);
    w.end_array();
  }
  w.field("status", f.status.empty() ? "final" : f.status);
  const ResourceRule* rule = ctx.mappings.rule_for(f.code.kind);
  if (f.observation_category == "none") {
    // what the patient reports (a symptom): no R4 observation category fits, and exam would be wrong
  } else if (!f.observation_category.empty()) {
    const std::string& c = f.observation_category;
    const auto known = std::find_if(std::begin(kObservationCategories), std::end(kObservationCategories),
                                    [&](const ObservationCategory& k) { return c == k.code; });
    w.key("category");
    w.begin_array();
    if (known != std::end(kObservationCategories))
      write_hl7_concept(w, "observation-category", known->code, known->display);
    else   // a code of another category: written as given, with the display of exam
      write_codeable_concept(w, {Coding{"http://terminology.hl7.org/CodeSystem/observation-category", c, "Exam", {}}}, "");
    w.end_array();
  } else if (rule && rule->category && !(f.code.codes.empty() && f.code.kind == ConceptKind::lab)) {
    // A test known only by the report's words gets no category it may not have.
    write_category(w, rule->category, ctx.mappings);
  }
  w.key("code");
  write_codeable_concept(w, f.code, ctx.mappings);
  w.key("subject");
  write_reference(w, ctx.patient_id);
  if (f.date && f.end) {
    w.key("effectivePeriod");
    w.begin_object();
    w.field("start", f.date->iso);
    w.field("end", f.end->iso);
    w.end_object();
  } else if (f.date) {
    w.field("effectiveDateTime", f.date->iso);
  } else if (f.relative_time) {
    write_relative_time(w, ctx, "effectiveDateTime", *f.relative_time);
  }
  if (f.result) {
    if (f.result->value) {
      w.key("valueQuantity");
      write_quantity(w, *f.result->value);
    } else if (f.result->between) {
      w.key("valueRange");
      w.begin_object();
      w.key("low");
      write_quantity(w, f.result->between->first, true);
      w.key("high");
      write_quantity(w, f.result->between->second, true);
      w.end_object();
    } else if (f.result->ratio) {
      w.key("valueRatio");
      w.begin_object();
      w.key("numerator");
      write_quantity(w, f.result->ratio->first);
      w.key("denominator");
      write_quantity(w, f.result->ratio->second);
      w.end_object();
    } else if (f.result->coded_value) {
      w.key("valueCodeableConcept");
      write_codeable_concept(w, f.result->coded_value->codes, f.result->coded_value->text);
    } else if (!f.result->string_value.empty()) {
      w.field("valueString", f.result->string_value);
    } else if (f.result->boolean_value) {
      w.field("valueBoolean", *f.result->boolean_value);
    } else if (!f.result->date_time_value.empty()) {
      w.field("valueDateTime", f.result->date_time_value);
    }
    const char* display = nullptr;
    if (!f.result->interpretation_codes.empty()) {
      w.key("interpretation");
      w.begin_array();
      for (const Coding& c : f.result->interpretation_codes) write_codeable_concept(w, {c}, "");
      w.end_array();
    } else if (const char* code = interpretation_code(f.result->interpretation, display)) {
      w.key("interpretation");
      w.begin_array();
      write_hl7_concept(w, "v3-ObservationInterpretation", code, display);
      w.end_array();
    }
  } else {
    const std::optional<Coding>& value = f.assertion == Assertion::present  ? values.present
                                         : f.assertion == Assertion::absent ? values.absent
                                                                            : values.possible;
    if (value) {
      w.key("valueCodeableConcept");
      write_mapped_coding(w, *value, ctx.mappings);
    }
  }
  if (!f.sites.empty()) {   // Observation.bodySite is 0..1: the first site named
    w.key("bodySite");
    write_body_site(w, ctx, f.sites.front());
  }
  if (f.method && !f.method->codes.empty()) {
    w.key("method");
    write_codeable_concept(w, f.method->codes, f.method->text);
  }
  // A range stated only in words ("Negative, less than 1:80") is written as its text.
  const bool range_in_words = f.result && !f.result->range_text.empty() && !f.result->range_from_mappings;
  if (f.result && (f.result->range_low || f.result->range_high || range_in_words)) {
    w.key("referenceRange");
    w.begin_array();
    w.begin_object();
    if (f.result->range_low) {
      w.key("low");
      write_quantity(w, *f.result->range_low, true);
    }
    if (f.result->range_high) {
      w.key("high");
      write_quantity(w, *f.result->range_high, true);
    }
    if (!f.result->range_text.empty()) w.field("text", f.result->range_text);
    w.end_object();
    w.end_array();
  }
  if (f.result && !f.result->components.empty()) {
    const std::optional<Concept> analyte = ctx.mappings.find_concept(f.code.id);
    w.key("component");
    w.begin_array();
    for (std::size_t i = 0; i < f.result->components.size(); ++i) {
      w.begin_object();
      w.key("code");
      if (analyte && i < analyte->components.size()) write_codeable_concept(w, {analyte->components[i]}, "");
      else write_codeable_concept(w, {}, "component " + std::to_string(i + 1));
      w.key("valueQuantity");
      write_quantity(w, f.result->components[i]);
      w.end_object();
    }
    w.end_array();
  }
  if (!f.sizes.empty() && !values.size_components.empty()) {
    w.key("component");
    w.begin_array();
    for (std::size_t i = 0; i < f.sizes.size() && i < values.size_components.size(); ++i) {
      w.begin_object();
      w.key("code");
      write_mapped_coding(w, values.size_components[i], ctx.mappings);
      w.key("valueQuantity");
      write_quantity(w, f.sizes[i]);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

void write_procedure(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::size_t index) {
  const Fact& f = ctx.facts.facts[index];
  start_resource(w, ctx, "Procedure", id, f.sources, {}, f.triggers);
  w.field("status", f.assertion == Assertion::absent    ? "not-done"
                    : !f.status.empty()                  ? f.status.c_str()
                    : f.assertion == Assertion::present  ? "completed"
                                                         : "unknown");
  if (f.status_reason && f.assertion == Assertion::absent) {
    w.key("statusReason");
    write_codeable_concept(w, f.status_reason->codes, f.status_reason->text);
  }
  w.key("code");
  write_codeable_concept(w, f.code, ctx.mappings);
  w.key("subject");
  write_reference(w, ctx.patient_id);
  if (f.date && f.assertion == Assertion::present) w.field("performedDateTime", f.date->iso);
  else if (!f.date && f.relative_time && f.assertion == Assertion::present)
    write_relative_time(w, ctx, "performedDateTime", *f.relative_time);
  if (!f.sites.empty()) write_body_sites(w, ctx, f.sites);
  w.end_object();
}

void write_family_member_history(JsonWriter& w, const BuildContext& ctx, const ResourceId& id,
                                 const std::vector<std::size_t>& facts) {
  std::vector<SourceRef> sources;
  for (const std::size_t i : facts)
    for (const auto& s : ctx.facts.facts[i].sources) sources.push_back(s);
  const Fact& first = ctx.facts.facts[facts.front()];
  start_resource(w, ctx, "FamilyMemberHistory", id, sources);
  w.field("status", "completed");
  w.key("patient");
  write_reference(w, ctx.patient_id);
  w.key("relationship");
  write_codeable_concept(w, {*first.relationship}, "");
  w.key("condition");
  w.begin_array();
  for (const std::size_t i : facts) {
    const Fact& f = ctx.facts.facts[i];
    w.begin_object();
    w.key("code");
    write_codeable_concept(w, f.code, ctx.mappings);
    if (f.onset) write_onset(w, *f.onset);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_body_structure(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, const BodySite& site) {
  start_resource(w, ctx, "BodyStructure", id, {site.source});
  w.key("location");
  write_codeable_concept(w, site.site.codes, site.site.text);
  if (site.laterality) {
    w.key("locationQualifier");
    w.begin_array();
    write_codeable_concept(w, site.laterality->codes, site.laterality->text);
    w.end_array();
  }
  w.field("description", site.text);
  w.key("patient");
  write_reference(w, ctx.patient_id);
  w.end_object();
}

void write_encounter(JsonWriter& w, const BuildContext& ctx, const ResourceId& id, std::optional<std::size_t> principal,
                     const std::vector<SourceRef>& sources) {
  start_resource(w, ctx, "Encounter", id, sources);
  // A case report tells neither the state nor the class of the episode it describes: both are
  // stated as unknown rather than guessed.
  w.field("status", "unknown");
  w.key("class");
  w.begin_object();
  w.field("system", "http://terminology.hl7.org/CodeSystem/v3-NullFlavor");
  w.field("code", "UNK");
  w.field("display", "unknown");
  w.end_object();
  w.key("subject");
  write_reference(w, ctx.patient_id);
  if (principal) {
    w.key("diagnosis");
    w.begin_array();
    w.begin_object();
    w.key("condition");
    write_reference(w, *ctx.fact_ids[*principal]);
    w.field("rank", 1);
    w.end_object();
    w.end_array();
  }
  w.end_object();
}

}  // namespace casefhir::fhir
