#include "gt/pipeline.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "gt/frame_rule.hpp"
#include "gt/key_names.hpp"

namespace idm {
namespace {

// A small insertion-ordered map: the reference iterates its held keys and buttons in
// insertion order, and there are never more than a handful at once.
template <typename Value>
struct OrderedHeld {
  std::vector<std::pair<std::string, Value>> entries;

  Value* find(const std::string& key) {
    for (auto& entry : entries) if (entry.first == key) return &entry.second;
    return nullptr;
  }
  void erase(const std::string& key) {
    std::erase_if(entries, [&](const auto& entry) { return entry.first == key; });
  }
};

struct HeldKey {
  int64_t press_frame;
  std::string detail;
};

struct Span {
  bool is_key;
  int64_t start_frame;
  int64_t end_frame;
  std::string detail;
};

struct ModifierSet {
  bool cmd = false, ctrl = false, alt = false, shift = false, alt_gr = false;

  void set(Modifier modifier, bool held) {
    switch (modifier) {
      case Modifier::Cmd: cmd = held; break;
      case Modifier::Ctrl: ctrl = held; break;
      case Modifier::Alt: alt = held; break;
      case Modifier::Shift: shift = held; break;
      case Modifier::AltGr: alt_gr = held; break;
      case Modifier::None: break;
    }
  }
  // Fixed order Cmd, Ctrl, Alt, Shift; AltGr is tracked but never printed.
  std::string prefix() const {
    std::string out;
    if (cmd) out += "Cmd+";
    if (ctrl) out += "Ctrl+";
    if (alt) out += "Alt+";
    if (shift) out += "Shift+";
    return out;
  }
};

bool is_scored_button(const std::string& name) {
  return name == "Left" || name == "Right" || name == "Middle";
}

}  // namespace

void stable_sort_by_frame_and_type(std::vector<Action>& actions) {
  auto before = [](const Action& a, const Action& b) {
    if (a.frame != b.frame) return a.frame < b.frame;
    return action_type_sort_rank(a.type) < action_type_sort_rank(b.type);
  };
  if (std::is_sorted(actions.begin(), actions.end(), before)) return;
  // Sort small keys, then move each Action once (Actions carry strings).
  struct Key {
    int frame;
    int rank;
    uint32_t index;
  };
  std::vector<Key> keys(actions.size());
  for (size_t i = 0; i < actions.size(); ++i) keys[i] = {actions[i].frame, action_type_sort_rank(actions[i].type), static_cast<uint32_t>(i)};
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.frame != b.frame) return a.frame < b.frame;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.index < b.index;  // the index keeps it stable
  });
  std::vector<Action> sorted;
  sorted.reserve(actions.size());
  for (const Key& key : keys) sorted.push_back(std::move(actions[key.index]));
  actions = std::move(sorted);
}

std::vector<Action> filter_actions(const std::vector<RawEvent>& events, double start_s, double fps,
                                   std::vector<std::string>* warnings, double dropped_latest_ts_us) {
  // MouseMove and other ignored types only matter for max_frame, which does not depend on
  // order: take it in one pass and sort only the events the filter acts on (stably, by time).
  int64_t max_frame = 0;
  if (auto frame = frame_of_timestamp(dropped_latest_ts_us, start_s, fps); frame && *frame > 0) max_frame = *frame;
  struct Acting {
    double ts_us;
    uint32_t index;
    int64_t frame;
  };
  std::vector<Acting> acting;
  for (size_t i = 0; i < events.size(); ++i) {
    const RawEvent& event = events[i];
    auto frame = frame_of_timestamp(event.ts_us, start_s, fps);
    if (!frame || *frame < 0) continue;
    max_frame = std::max(max_frame, *frame);
    if (event.kind == EventKind::MouseMove || event.kind == EventKind::Other) continue;
    acting.push_back({event.ts_us, static_cast<uint32_t>(i), *frame});
  }
  auto by_time = [](const Acting& a, const Acting& b) { return a.ts_us < b.ts_us || (a.ts_us == b.ts_us && a.index < b.index); };
  if (!std::is_sorted(acting.begin(), acting.end(), by_time)) std::sort(acting.begin(), acting.end(), by_time);

  ModifierSet modifiers;
  OrderedHeld<HeldKey> held_keys;
  OrderedHeld<int64_t> held_buttons;
  std::vector<Span> spans;
  std::vector<Action> scrolls;

  auto close_all = [&](int64_t frame) {
    for (auto& [name, key] : held_keys.entries) spans.push_back({true, key.press_frame, frame, key.detail});
    for (auto& [name, press_frame] : held_buttons.entries) spans.push_back({false, press_frame, frame, name});
    held_keys.entries.clear();
    held_buttons.entries.clear();
  };

  for (const Acting& item : acting) {
    const RawEvent* event = &events[item.index];
    int64_t frame = item.frame;
    switch (event->kind) {
      case EventKind::KeyPress: {
        if (!event->payload_valid) break;
        std::string key = map_key_name(event->name);
        Modifier modifier = modifier_of(key);
        if (modifier != Modifier::None) {
          modifiers.set(modifier, true);
        } else if (!held_keys.find(key)) {
          held_keys.entries.push_back({key, {frame, modifiers.prefix() + key}});
        }
        break;
      }
      case EventKind::KeyRelease: {
        if (!event->payload_valid) break;
        std::string key = map_key_name(event->name);
        Modifier modifier = modifier_of(key);
        if (modifier != Modifier::None) {
          modifiers.set(modifier, false);
        } else if (HeldKey* held = held_keys.find(key)) {
          spans.push_back({true, held->press_frame, frame, held->detail});
          held_keys.erase(key);
        }
        break;
      }
      case EventKind::MousePress:
        if (event->payload_valid && is_scored_button(event->name) && !held_buttons.find(event->name)) {
          held_buttons.entries.push_back({event->name, frame});
        }
        break;
      case EventKind::MouseRelease:
        if (!event->payload_valid) break;
        if (int64_t* press_frame = held_buttons.find(event->name)) {
          spans.push_back({false, *press_frame, frame, event->name});
          held_buttons.erase(event->name);
        }
        break;
      case EventKind::MouseScroll:
        if (!event->payload_valid) break;
        if (event->y > 0) scrolls.push_back({static_cast<int>(frame), ActionType::MouseScroll, "up"});
        else if (event->y < 0) scrolls.push_back({static_cast<int>(frame), ActionType::MouseScroll, "down"});
        break;
      case EventKind::ContextChanged:
        if (event->uncaptured) {
          close_all(frame);
          modifiers = ModifierSet{};
        }
        break;
      case EventKind::MouseMove:
      case EventKind::Other:
        break;
    }
  }
  close_all(max_frame);

  std::vector<Action> out;
  size_t key_items = 0;
  for (const Span& span : spans) {
    if (span.is_key) {
      int64_t last = std::max(span.end_frame, span.start_frame + 1) - 1;
      if (last - span.start_frame + 1 > kMaxKeySpanFrames) {
        if (warnings) {
          warnings->push_back("key " + span.detail + " is held for " + std::to_string(last - span.start_frame + 1) +
                              " frames from frame " + std::to_string(span.start_frame) + "; only the first " +
                              std::to_string(kMaxKeySpanFrames) + " are expanded (corrupt timestamps?)");
        }
        last = span.start_frame + kMaxKeySpanFrames - 1;
      }
      for (int64_t frame = span.start_frame; frame <= last; ++frame) {
        if (key_items == kMaxExpandedKeyItems) {
          if (warnings) warnings->push_back("more than " + std::to_string(kMaxExpandedKeyItems) + " KeyPress items; the rest are dropped");
          ++key_items;
        }
        if (key_items > kMaxExpandedKeyItems) break;
        out.push_back({static_cast<int>(frame), ActionType::KeyPress, span.detail});
        ++key_items;
      }
    } else {
      out.push_back({static_cast<int>(span.start_frame), ActionType::MouseClick, span.detail});
    }
  }
  out.insert(out.end(), std::make_move_iterator(scrolls.begin()), std::make_move_iterator(scrolls.end()));
  stable_sort_by_frame_and_type(out);
  return out;
}

namespace {

// Keeps the first item of each run; a run continues while the gap to the immediately
// preceding item is <= gap and the detail is the same.
void append_run_heads(std::vector<Action> items, int gap, std::vector<Action>& out) {
  std::stable_sort(items.begin(), items.end(), [](const Action& a, const Action& b) { return a.frame < b.frame; });
  for (size_t i = 0; i < items.size(); ++i) {
    bool continues = i > 0 && items[i].frame - items[i - 1].frame <= gap && items[i].detail == items[i - 1].detail;
    if (!continues) out.push_back(items[i]);
  }
}

}  // namespace

std::vector<Action> coalesce_actions(const std::vector<Action>& filtered, int gap) {
  std::vector<Action> out;
  std::vector<Action> scrolls;
  std::vector<Action> clicks;
  for (const Action& action : filtered) {
    if (action.type == ActionType::MouseScroll) scrolls.push_back(action);
    else if (action.type == ActionType::MouseClick) clicks.push_back(action);
    else out.push_back(action);
  }
  append_run_heads(std::move(scrolls), gap, out);
  append_run_heads(std::move(clicks), gap, out);
  stable_sort_by_frame_and_type(out);
  return out;
}

std::vector<Action> canonical_gt(const ClipLog& clip, std::vector<std::string>* warnings) {
  return coalesce_actions(filter_actions(clip.events, clip.start_s, kEvalFps, warnings, clip.dropped_latest_ts_us));
}

}  // namespace idm
