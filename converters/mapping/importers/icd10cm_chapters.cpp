#include "mapping/importers/icd10cm_chapters.h"

namespace casefhir::mapping::importers {

SourceInfo icd10cm_source(const std::string& version) {
  SourceInfo s;
  s.id = "icd10cm";
  s.name = "ICD-10-CM";
  s.version = version;
  s.licence = "Public domain (a work of the U.S. Government)";
  s.url = "https://www.cdc.gov/nchs/icd/icd-10-cm/";
  s.attribution = "ICD-10-CM" + (version.empty() ? std::string() : " FY" + version) +
                  ", National Center for Health Statistics (CDC/NCHS) and CMS.";
  return s;
}

std::string_view icd10cm_chapter_kind(int chapter) {
  if ((chapter >= 1 && chapter <= 17) || chapter == 19 || chapter == 22) return "disorder";
  if (chapter == 18) return "finding";
  return {};
}

int icd10cm_chapter_of(std::string_view code) {
  if (code.size() < 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < '0' || code[1] > '9') return 0;
  const int two = (code[1] - '0') * 10 + (code[2] >= '0' && code[2] <= '9' ? code[2] - '0' : 0);
  switch (code[0]) {
    case 'A': case 'B': return 1;
    case 'C': return 2;
    case 'D': return two <= 49 ? 2 : 3;
    case 'E': return 4;
    case 'F': return 5;
    case 'G': return 6;
    case 'H': return two <= 59 ? 7 : 8;
    case 'I': return 9;
    case 'J': return 10;
    case 'K': return 11;
    case 'L': return 12;
    case 'M': return 13;
    case 'N': return 14;
    case 'O': return 15;
    case 'P': return 16;
    case 'Q': return 17;
    case 'R': return 18;
    case 'S': case 'T': return 19;
    case 'V': case 'W': case 'X': case 'Y': return 20;
    case 'Z': return 21;
    case 'U': return 22;
    default: return 0;
  }
}

}  // namespace casefhir::mapping::importers
