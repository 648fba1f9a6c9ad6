// libFuzzer target: the side files (spec §5) -- annotations.json, gt_overrides.json and the
// gesture GT files -- read from an in-memory file by the real readers, then the overrides and
// labels applied to a small canonical GT.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "gt/overrides.hpp"
#include "dataset/side_files.hpp"

using namespace idm;

namespace {

// A fixed canonical GT to apply overrides and labels to.
const std::vector<Action>& canonical() {
  static const std::vector<Action> gt = {
      {1, ActionType::KeyPress, "A"}, {2, ActionType::KeyPress, "Cmd+Tab"}, {3, ActionType::MouseClick, "Left"},
      {5, ActionType::MouseScroll, "down"}, {7, ActionType::KeyPress, "Space"}};
  return gt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::MemoryFile memory(data, size);

  nlohmann::ordered_json parsed;
  std::string error;
  if (!parse_side_json(text, parsed, error)) fuzz::require(!error.empty(), "parse_side_json failed without a message");

  AnnotationsFile annotations;
  error.clear();
  bool labels_ok = read_annotations(memory.path(), annotations, error);
  fuzz::require(labels_ok || !error.empty(), "read_annotations failed without a message");
  fuzz::require(!labels_ok || annotations.present, "an existing annotations file reads as absent");

  OverridesFile overrides;
  error.clear();
  bool overrides_ok = read_overrides(memory.path(), overrides, error);
  fuzz::require(overrides_ok || !error.empty(), "read_overrides failed without a message");
  fuzz::require(labels_ok == overrides_ok, "annotations and overrides readers disagree on the same document");

  GestureFile gestures;
  error.clear();
  bool gestures_ok = read_gesture_file(memory.path(), gestures, error);
  fuzz::require(gestures_ok || !error.empty(), "read_gesture_file failed without a message");
  fuzz::require(labels_ok == gestures_ok, "annotations and gesture readers disagree on the same document");

  for (const auto& [key, clip_overrides] : overrides.clips) {
    OverriddenGt gt = apply_overrides(canonical(), &clip_overrides);
    fuzz::require(gt.canonical_count == canonical().size(), "canonical count changed");
    fuzz::require(gt.deleted.size() == canonical().size(), "deleted flags do not cover the canonical GT");
    for (size_t i = 1; i < gt.items.size(); ++i) {
      fuzz::require(gt.items[i - 1].action.frame <= gt.items[i].action.frame, "overridden GT not sorted by frame");
    }
    auto labels = annotations.clips.find(key);
    ResolvedLabels resolved =
        resolve_labels(labels == annotations.clips.end() ? nullptr : &labels->second, gt.canonical_count + gt.addition_count);
    fuzz::require(resolved.by_label_index.size() == gt.canonical_count + gt.addition_count, "label count");
  }
  for (const auto& [key, labels] : annotations.clips) {
    ResolvedLabels resolved = resolve_labels(&labels, canonical().size());
    fuzz::require(resolved.by_label_index.size() == canonical().size(), "label count");
  }
  // Unknown keys survive: the raw documents hold every clip of the file.
  if (overrides_ok && parsed.is_object()) {
    fuzz::require(overrides.raw.size() == parsed.size(), "raw overrides lost clips");
    fuzz::require(annotations.raw.size() == parsed.size(), "raw annotations lost clips");
  }
  return 0;
}
