#include "model/actions.hpp"

#include "model/raw_event.hpp"

namespace idm {

const char* action_type_name(ActionType type) {
  switch (type) {
    case ActionType::KeyPress: return "KeyPress";
    case ActionType::MouseClick: return "MouseClick";
    case ActionType::MouseScroll: return "MouseScroll";
    case ActionType::MouseMove: return "MouseMove";
  }
  return "?";
}

bool parse_action_type(std::string_view text, ActionType& out) {
  for (int i = 0; i < kActionTypeCount; ++i) {
    auto type = static_cast<ActionType>(i);
    if (text == action_type_name(type)) {
      out = type;
      return true;
    }
  }
  return false;
}

int action_type_sort_rank(ActionType type) {
  switch (type) {
    case ActionType::KeyPress: return 0;
    case ActionType::MouseClick: return 1;
    case ActionType::MouseMove: return 2;
    case ActionType::MouseScroll: return 3;
  }
  return 4;
}

bool operator==(const Action& a, const Action& b) {
  return a.frame == b.frame && a.type == b.type && a.detail == b.detail;
}

const char* event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::KeyPress: return "KeyPress";
    case EventKind::KeyRelease: return "KeyRelease";
    case EventKind::MousePress: return "MousePress";
    case EventKind::MouseRelease: return "MouseRelease";
    case EventKind::MouseMove: return "MouseMove";
    case EventKind::MouseScroll: return "MouseScroll";
    case EventKind::ContextChanged: return "ContextChanged";
    case EventKind::Other: return "Other";
  }
  return "?";
}

}  // namespace idm
