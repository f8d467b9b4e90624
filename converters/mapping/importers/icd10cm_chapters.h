// mapping/importers/icd10cm_chapters.h — what the two ICD-10-CM importers (tabular XML, order
// file) share: the source's description and which chapters become which kind. Chapters 1–17, 19
// (injuries, poisonings) and 22 (U codes) are disorders, 18 (R00–R99, symptoms and signs)
// findings; 20 (external causes, V–Y) and 21 (factors influencing health status, Z) are not
// imported.
#pragma once

#include <string>
#include <string_view>

#include "mapping/importers/vocabulary.h"

namespace casefhir::mapping::importers {

SourceInfo icd10cm_source(const std::string& version);

// "disorder" or "finding", or "" for a chapter that is not imported (or unknown).
std::string_view icd10cm_chapter_kind(int chapter);

// The chapter of a code by its letter and first two digits (A00–B99 1, C00–D49 2, D50–D89 3, …,
// H00–H59 7, H60–H95 8, …, S–T 19, V–Y 20, Z 21, U 22); 0 when the code does not start
// with a letter and two digits.
int icd10cm_chapter_of(std::string_view code);

}  // namespace casefhir::mapping::importers
