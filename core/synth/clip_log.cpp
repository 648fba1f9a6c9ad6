#include "synth/clip_log.hpp"

#include "synth/keymap.hpp"
#include "synth/rng.hpp"

namespace idm::synth {

namespace {

using Json = nlohmann::ordered_json;

Json button_json(const InputEvent& e) {
  if (e.name == "Other") return Json{{"Other", e.other_button}};
  return e.name;
}

Json entry(const InputEvent& e, int64_t start_us) {
  Json body;
  switch (e.kind) {
    case InputKind::KeyPress: body = Json::array({"KeyPress", Json::array({key_code(e.name), e.name})}); break;
    case InputKind::KeyRelease: body = Json::array({"KeyRelease", Json::array({key_code(e.name), e.name})}); break;
    case InputKind::MousePress: body = Json::array({"MousePress", Json::array({button_json(e), 0, 0})}); break;
    case InputKind::MouseRelease: body = Json::array({"MouseRelease", Json::array({button_json(e), 0, 0})}); break;
    case InputKind::MouseMove: body = Json::array({"MouseMove", Json::array({e.dx, e.dy})}); break;
    case InputKind::MouseScroll:
      body = Json::array({"MouseScroll", Json::array({0, static_cast<int>(e.dy), 0, 0})});
      break;
    case InputKind::Context: body = Json::array({"ContextChanged", Json::array({e.name})}); break;
  }
  return Json::array({start_us + e.t_us, body});
}

}  // namespace

Json clip_actions_json(const ClipScript& script, int64_t start_us, uint64_t seed) {
  Json actions = Json::array();
  std::vector<bool> is_move;
  for (const auto& e : script.events) {
    if (!e.logged) continue;
    actions.push_back(entry(e, start_us));
    is_move.push_back(e.kind == InputKind::MouseMove);
  }
  Rng rng(seed);
  for (int swaps = 0; swaps < 3 && actions.size() > 2; ++swaps) {
    size_t i = static_cast<size_t>(rng.range(0, static_cast<int64_t>(actions.size()) - 2));
    if (is_move[i] && is_move[i + 1]) std::swap(actions[i], actions[i + 1]);
  }
  return actions;
}

std::string clip_file_text(double start_s, double end_s, const std::string& tag, const Json& actions) {
  std::string text = "{\"start_s\": " + Json(start_s).dump() + ", \"end_s\": " + Json(end_s).dump() +
                     ", \"tag\": " + Json(tag).dump() + ", \"actions\": [";
  for (size_t i = 0; i < actions.size(); ++i) text += (i ? ",\n  " : "\n  ") + actions[i].dump(-1, ' ', false);
  text += "\n]}\n";
  return text;
}

}  // namespace idm::synth
