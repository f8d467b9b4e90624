// mapping/compile_defaults.cpp — the build step that compiles mappings/ into the built-in
// dictionary (the same compile as `casefhir mappings compile --no-default-mappings`):
//   casefhir_compile_defaults MAPPINGS_DIR OUTPUT
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "casefhir/errors.h"
#include "casefhir/mapping.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: casefhir_compile_defaults MAPPINGS_DIR OUTPUT\n");
    return 2;
  }
  try {
    const std::string bytes = casefhir::compile_dictionary({argv[1]}, false);
    const std::string temporary = std::string(argv[2]) + ".part";
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::fprintf(stderr, "casefhir_compile_defaults: %s: cannot be written\n", argv[2]);
      return 1;
    }
    std::filesystem::rename(temporary, argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "casefhir_compile_defaults: %s\n", e.what());
    return 2;
  }
  return 0;
}
