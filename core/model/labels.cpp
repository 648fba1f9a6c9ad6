#include "model/labels.hpp"

namespace idm {

const char* visibility_name(Visibility visibility) {
  switch (visibility) {
    case Visibility::Visible: return "visible";
    case Visibility::Inferable: return "inferable";
    case Visibility::Ambiguous: return "ambiguous";
    case Visibility::NotPredictable: return "not_predictable";
  }
  return "?";
}

bool parse_visibility(std::string_view text, Visibility& out) {
  for (int i = 0; i < kVisibilityCount; ++i) {
    if (text == visibility_name(static_cast<Visibility>(i))) {
      out = static_cast<Visibility>(i);
      return true;
    }
  }
  return false;
}

}  // namespace idm
