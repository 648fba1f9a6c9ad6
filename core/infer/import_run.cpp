#include "infer/import_run.hpp"

#include "infer/prediction_store.hpp"
#include "dataset/dataset.hpp"
#include "dataset/prediction_source.hpp"

namespace idm::infer {

bool import_predictions(const Dataset& dataset, const std::filesystem::path& source, const std::string& run_name,
                        const std::vector<InferRunClip>& clips, ImportSummary& out, std::string& error) {
  PredictionSet set;
  if (!load_prediction_source(source, dataset, set, error)) return false;
  out.warnings = set.warnings;
  PredictionStore store;
  if (!store.open(dataset.root, run_name, error)) return false;
  out.store_dir = store.dir();
  store.run()["backend"] = {{"name", "import"}, {"source", std::filesystem::absolute(source).string()}};
  store.run()["imported_at"] = utc_timestamp();
  for (const InferRunClip& clip : clips) {
    if (store.clip_complete(clip.key)) {
      ++out.skipped;
      continue;
    }
    auto found = set.by_clip.find(clip.key);
    if (found == set.by_clip.end()) {
      ++out.missing;
      continue;
    }
    nlohmann::json items = nlohmann::json::array();
    int malformed = 0;
    for (const RawPrediction& prediction : found->second) {
      if (prediction.malformed) {  // not an object / no string frame: nothing to carry over
        ++malformed;
        continue;
      }
      items.push_back({{"frame", prediction.frame_label}, {"type", prediction.type}, {"details", prediction.detail}});
    }
    if (malformed > 0) out.warnings.push_back(clip.key + ": " + std::to_string(malformed) + " malformed predictions not imported");
    if (!store.save_clip(clip.key, "complete", items, {{"imported_from", std::filesystem::absolute(source).string()}, {"malformed", malformed}}, error)) {
      return false;
    }
    ++out.imported;
  }
  return store.save_run(error);
}

}  // namespace idm::infer
