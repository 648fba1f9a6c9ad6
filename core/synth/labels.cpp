#include "synth/labels.hpp"

#include <cstdio>
#include <string>

#include "model/labels.hpp"

#include "gt/frame_rule.hpp"
#include "gt/key_names.hpp"

namespace idm::synth {

namespace {

int frame_of(int64_t t_us, double start_s) {
  double ts = static_cast<double>(static_cast<int64_t>(start_s * 1e6 + 0.5) + t_us);
  return static_cast<int>(frame_of_timestamp(ts, start_s, 5.0).value_or(-1));
}

Visibility label_key(const Action& item, const std::vector<Effect>& effects, double start_s) {
  // The press that opened this span: the latest non-repeat press of the same key up to here.
  const Effect* press = nullptr;
  bool repeat_drawn_here = false;
  for (const auto& e : effects) {
    if (e.type != ActionType::KeyPress || e.detail != item.detail) continue;
    int f = frame_of(e.t_us, start_s);
    if (f > item.frame) break;
    if (!e.repeat) press = &e;
    if (e.repeat && f == item.frame && e.drawn) repeat_drawn_here = true;
  }
  if (!press) return Visibility::Ambiguous;
  if (frame_of(press->t_us, start_s) == item.frame) return press->drawn ? Visibility::Visible : Visibility::NotPredictable;
  if (!press->drawn) return Visibility::NotPredictable;
  // A frame the key was merely held: visible only if a repeat drew something new.
  return repeat_drawn_here ? Visibility::Visible : Visibility::Inferable;
}

Visibility label_other(const Action& item, const std::vector<Effect>& effects, double start_s) {
  bool found = false, drawn = false;
  for (const auto& e : effects) {
    if (e.type != item.type || e.detail != item.detail || frame_of(e.t_us, start_s) != item.frame) continue;
    found = true;
    drawn = drawn || e.drawn;
  }
  if (drawn) return Visibility::Visible;
  if (!found) return Visibility::Ambiguous;
  // A scroll against the top of the page moves nothing; a click on empty space neither,
  // but the pointer is there, so a model might still guess it.
  return item.type == ActionType::MouseScroll ? Visibility::NotPredictable : Visibility::Ambiguous;
}

}  // namespace

nlohmann::ordered_json label_gt(const std::vector<Action>& gt, const std::vector<Effect>& effects, double start_s) {
  nlohmann::ordered_json labels = nlohmann::ordered_json::object();
  for (size_t i = 0; i < gt.size(); ++i) {
    const Action& item = gt[i];
    Visibility v = item.type == ActionType::KeyPress ? label_key(item, effects, start_s) : label_other(item, effects, start_s);
    labels[std::to_string(i)] = visibility_name(v);
  }
  return labels;
}

nlohmann::ordered_json overrides_for(const std::vector<Action>& gt, const std::vector<Effect>& effects,
                                     const std::vector<InputEvent>& unlogged_keys, double start_s) {
  nlohmann::ordered_json edits = nlohmann::ordered_json::object();
  nlohmann::ordered_json deletions = nlohmann::ordered_json::array();
  nlohmann::ordered_json additions = nlohmann::ordered_json::array();
  // The filter expands a held Backspace into one item per frame; an annotator keeps the
  // frames where repeats deleted text and drops the silent initial-delay frame after the press.
  for (size_t i = 0; i + 1 < gt.size(); ++i) {
    if (gt[i].detail == "Backspace" && gt[i + 1].detail == "Backspace" && gt[i + 1].frame == gt[i].frame + 1) {
      deletions.push_back(static_cast<int>(i + 1));
      break;
    }
  }
  // A modifier held since before the clip never appears in the log, so the GT spells the key
  // without it while the screen shows its effect ("O" typed as a capital): the annotator edits
  // the detail to what was pressed, as the eval-set card's own example does.
  for (const Effect& effect : effects) {
    if (effect.type != ActionType::KeyPress || effect.held_detail.empty() || effect.repeat) continue;
    int frame = frame_of(effect.t_us, start_s);
    for (size_t i = 0; i < gt.size(); ++i) {
      if (gt[i].type == ActionType::KeyPress && gt[i].frame == frame && gt[i].detail == effect.detail && !edits.contains(std::to_string(i))) {
        edits[std::to_string(i)] = effect.held_detail;
        break;
      }
    }
  }
  for (const auto& e : unlogged_keys) {
    if (e.kind != InputKind::KeyPress || e.name.size() != 4 || !e.name.starts_with("Key")) continue;
    char frame[8];
    std::snprintf(frame, sizeof frame, "F%02d", frame_of(e.t_us, start_s));
    additions.push_back({{"frame", frame}, {"type", "KeyPress"}, {"detail", map_key_name(e.name)}});
  }
  if (edits.empty() && deletions.empty() && additions.empty()) return nullptr;
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (!edits.empty()) out["edits"] = edits;
  if (!deletions.empty()) out["deletions"] = deletions;
  if (!additions.empty()) out["additions"] = additions;
  return out;
}

}  // namespace idm::synth
