#include "synth/predictions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "synth/rng.hpp"

namespace idm::synth {

namespace {

using Json = nlohmann::ordered_json;

struct Guess {
  int frame;
  std::string type;
  std::string details;
};

std::string frame_label(int frame) {
  char text[8];
  std::snprintf(text, sizeof text, "F%02d", frame);
  return text;
}

// Models confuse modifier order: they answer in press order, not the canonical one.
std::string swap_first_modifiers(const std::string& detail) {
  size_t first = detail.find('+');
  size_t second = first == std::string::npos ? first : detail.find('+', first + 1);
  if (second == std::string::npos) return detail;
  return detail.substr(first + 1, second - first - 1) + "+" + detail.substr(0, first) + detail.substr(second);
}

std::string neighbour_letter(const std::string& detail) {
  static const std::string row = "QWERTYUIOPASDFGHJKLZXCVBNM";
  if (detail.size() != 1) return detail;
  size_t at = row.find(detail[0]);
  if (at == std::string::npos) return detail;
  return std::string(1, row[(at + 1) % row.size()]);
}

int jitter(Rng& rng, const ModelProfile& m, int frame, int last) {
  double u = rng.unit();
  int shift = u < m.off_by_two ? 2 : (u < m.off_by_two + m.off_by_one ? 1 : 0);
  if (shift && rng.chance(0.5)) shift = -shift;
  return std::clamp(frame + shift, 0, last);
}

}  // namespace

const ModelProfile& good_model() {
  static const ModelProfile m{"good", 0.06, 0.15, 0.0, 0.25, 0.02, 0.05, 0, 0.9, 0.05, 0.12};
  return m;
}

const ModelProfile& weak_model() {
  static const ModelProfile m{"weak", 0.35, 0.3, 0.15, 0.9, 0.12, 0.3, 2, 0.3, 0.4, 0.6};
  return m;
}

Json predict_clip(const std::vector<Action>& gt, const GestureGt& gesture, const ModelProfile& m, uint64_t seed,
                  int grid_frames) {
  Rng rng(seed);
  int last = std::max(0, grid_frames - 1);
  std::vector<Guess> guesses;
  const Action* previous = nullptr;
  for (const auto& item : gt) {
    bool continues_run = previous && previous->type == item.type && previous->frame + 1 >= item.frame - 1;
    previous = &item;
    switch (item.type) {
      case ActionType::KeyPress: {
        if (rng.chance(m.miss_key)) continue;
        std::string detail = item.detail;
        if (detail.find('+') != std::string::npos && rng.chance(m.swap_modifiers)) detail = swap_first_modifiers(detail);
        if (rng.chance(m.wrong_letter)) detail = neighbour_letter(detail);
        guesses.push_back({jitter(rng, m, item.frame, last), "KeyPress", detail});
        break;
      }
      case ActionType::MouseClick:
        if (rng.chance(m.miss_click)) continue;
        guesses.push_back({jitter(rng, m, item.frame, last), "MouseClick", item.detail});
        break;
      case ActionType::MouseScroll:
        // Under-prediction: models report a burst's first notch and lose the rest.
        if (continues_run && !rng.chance(m.keep_scroll_run)) continue;
        guesses.push_back({jitter(rng, m, item.frame, last), "MouseScroll", item.detail});
        break;
      case ActionType::MouseMove:
        break;
    }
  }
  for (int i = 0; i < m.hallucinated_clicks; ++i) {
    guesses.push_back({static_cast<int>(rng.range(0, last)), "MouseClick", rng.chance(0.8) ? "Left" : "Right"});
  }
  for (const auto& move : gesture.moves) {
    if (rng.chance(m.miss_move)) continue;
    double nx = move.nx * (1 + m.move_noise * rng.normal()) + 6 * m.move_noise * rng.normal();
    double ny = move.ny * (1 + m.move_noise * rng.normal()) + 6 * m.move_noise * rng.normal();
    char details[48];
    std::snprintf(details, sizeof details, "%ld,%ld", std::lround(nx), std::lround(ny));
    guesses.push_back({move.frame, "MouseMove", details});
  }
  std::stable_sort(guesses.begin(), guesses.end(), [](const Guess& a, const Guess& b) { return a.frame < b.frame; });
  Json out = Json::array();
  for (const auto& g : guesses) out.push_back({{"frame", frame_label(g.frame)}, {"type", g.type}, {"details", g.details}});
  return out;
}

}  // namespace idm::synth
