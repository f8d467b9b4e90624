// nlp/word_set.h — WordSet: a set of lower-case words (a mapping word list, folded and checked by
// the loader), tested against a token's text in any case with one hash lookup.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

namespace casefhir::nlp {

class WordSet {
 public:
  WordSet() = default;
  template <class Words>
  explicit WordSet(const Words& words) {
    for (const auto& w : words) add(w);
  }
  // The word as written in a text: folded to lower case (ASCII) before the lookup.
  bool contains_folded(std::string_view text) const {
    if (text.empty() || text.size() > kLongest) return false;   // longer than any word of a list
    // Most tokens are in no list: a word of this length starting with this letter rules them
    // out before the hash.
    if (!(starts_[text.size() - 1] >> first_bit(text[0]) & 1u)) return false;
    char folded[kLongest];
    for (std::size_t k = 0; k < text.size(); ++k)
      folded[k] = text[k] >= 'A' && text[k] <= 'Z' ? static_cast<char>(text[k] + 32) : text[k];
    return words_.find(std::string_view(folded, text.size())) != words_.end();
  }
  static constexpr std::size_t kLongest = 40;   // bytes; the loader refuses a longer word

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  // Words come lower-case and at most kLongest bytes long: the loader folds and checks them.
  void add(std::string_view w) {
    if (w.empty() || w.size() > kLongest) return;
    words_.emplace(w);
    starts_[w.size() - 1] |= std::uint32_t{1} << first_bit(w[0]);
  }
  // A letter (either case) has a bit of its own; other bytes share the rest.
  static unsigned first_bit(char c) {
    const unsigned char u = static_cast<unsigned char>(c) | 0x20;   // 'A' → 'a'; a digit keeps its bit 5
    return u >= 'a' && u <= 'z' ? u - 'a' : 26 + u % 6;
  }
  std::unordered_set<std::string, Hash, std::equal_to<>> words_;
  std::uint32_t starts_[kLongest] = {};   // by length - 1: the first bytes words of that length have
};

}  // namespace casefhir::nlp
