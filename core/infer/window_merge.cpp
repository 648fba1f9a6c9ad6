#include "infer/window_merge.hpp"

#include "infer/frame_pipeline.hpp"
#include "scoring/predictions.hpp"

namespace idm::infer {

nlohmann::json answer_items(std::string_view raw_text) { return read_answer(raw_text).items; }

ReadAnswer read_answer(std::string_view raw_text) {
  ReadAnswer out;
  bool found = false;
  std::string array_text = parse_response_text(raw_text, &found);
  nlohmann::json items = nlohmann::json::parse(array_text, nullptr, false);
  if (found && items.is_array()) {
    out.items = std::move(items);
    return out;
  }
  bool blank = raw_text.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
  out.problem = blank ? "empty answer" : "no JSON array in the answer";
  return out;
}

MergedAnswer merge_window_answers(const std::vector<std::optional<nlohmann::json>>& answers, int grid_frames, const WindowSpec& spec) {
  MergedAnswer out;
  std::vector<int> starts = window_starts(grid_frames, spec);
  for (size_t w = 0; w < answers.size() && w < starts.size(); ++w) {
    if (!answers[w] || !answers[w]->is_array()) continue;
    for (const nlohmann::json& item : *answers[w]) {
      int local = -1;
      auto frame = item.is_object() ? item.find("frame") : item.end();
      if (!item.is_object() || frame == item.end() || !frame->is_string() || !parse_frame_label(frame->get<std::string>(), local)) {
        ++out.dropped_unreadable;
        continue;
      }
      int global = starts[w] + local;
      if (local < spec.keep_first || local > spec.keep_last || owning_window(global, grid_frames, spec) != static_cast<int>(w)) {
        ++out.dropped_outside;
        continue;
      }
      nlohmann::json kept = item;  // other keys survive
      kept["frame"] = frame_label(global);
      out.items.push_back(std::move(kept));
    }
  }
  return out;
}

}  // namespace idm::infer
