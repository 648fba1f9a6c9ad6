// The baseline as a backend: the answer is computed from the window's pixels.
#include "infer/baseline.hpp"
#include "infer/backends.hpp"

namespace idm::infer {

namespace {

class BaselineBackend final : public Backend {
 public:
  WindowAnswer run_window(const WindowInput& input, const std::atomic<bool>& cancel) override {
    WindowAnswer out;
    out.attempts = 1;
    std::vector<GrayImage> gray;
    for (const FrameImage* frame : input.frames) {
      if (cancel) {
        out.error = "cancelled";
        return out;
      }
      gray.push_back(to_gray(*frame));
    }
    out.raw_text = baseline_window_answer(gray).dump();
    out.ok = true;
    return out;
  }
  int concurrency() const override { return 2; }
  bool wants_png() const override { return false; }
  nlohmann::json describe() const override { return {{"name", "baseline"}, {"model", "idmscope-baseline-1"}}; }
};

}  // namespace

std::unique_ptr<Backend> make_baseline_backend() { return std::make_unique<BaselineBackend>(); }

}  // namespace idm::infer
