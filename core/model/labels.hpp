#pragma once
// Visibility labels and GT overrides for one clip, as written in the side files (spec §5).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/actions.hpp"

namespace idm {

enum class Visibility : uint8_t { Visible, Inferable, Ambiguous, NotPredictable };
constexpr int kVisibilityCount = 4;
const char* visibility_name(Visibility visibility);
bool parse_visibility(std::string_view text, Visibility& out);

// An index as written in a side file: ints, or strings holding ints. `index` is empty when
// the text is not an integer; range checks happen later, against the clip's GT length.
struct IndexKey {
  std::string text;
  std::optional<int64_t> index;
};

struct LabelEntry {
  IndexKey key;
  std::string value_text;
  std::optional<Visibility> value;  // empty: not one of the four names (a warning)
};

struct ClipLabels {
  std::vector<LabelEntry> entries;  // file order
};

struct EditEntry {
  IndexKey key;
  std::string detail;
};

struct AdditionEntry {
  std::optional<Action> action;  // empty when unusable (unknown type, bad frame): a warning
  std::string problem;
};

struct ClipOverrides {
  std::vector<EditEntry> edits;
  std::vector<IndexKey> deletions;
  std::vector<AdditionEntry> additions;
  std::vector<std::string> warnings;  // shape problems found while reading
};

}  // namespace idm
