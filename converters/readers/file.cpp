#include "readers/file.h"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace casefhir::readers {

std::optional<std::string> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  std::string data;
  // The size, when the file has one, reserved at once: appending by doubling would leave a 50 MB
  // report in a 64 MB string.
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size <= max_bytes) data.reserve(static_cast<std::size_t>(size) + 1);
  char buffer[1 << 16];
  std::size_t got = 0;
  while (data.size() <= max_bytes && (got = std::fread(buffer, 1, sizeof buffer, f.get())) > 0)
    data.append(buffer, std::min(got, max_bytes + 1 - data.size()));
  if (std::ferror(f.get())) return std::nullopt;
  return data;
}

}  // namespace casefhir::readers
