// libFuzzer target: an RSV _meta.json (rsv.md §2) from arbitrary bytes, read as a pair half and
// as a single, then pushed through Layer 1, the structure reports, the frame phases and the
// conventions measurement. Runs in memory: no file is written.
#include <cmath>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "rsv/frames.hpp"
#include "rsv/layer1.hpp"
#include "rsv/measure.hpp"
#include "rsv/meta.hpp"
#include "rsv/structure.hpp"

using namespace idm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const rsv::Conventions table = [] {
    rsv::Conventions loaded;
    std::string error;
    fuzz::require(rsv::load_conventions(rsv::default_conventions_path(), loaded, error), "cannot load the conventions table", error);
    return loaded;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (char role : {'\0', 'A'}) {
    rsv::MetaExpectations expect;
    expect.tid = 353;
    expect.relation = role ? "equivalence" : "inverse";
    expect.name_role = role;
    expect.conventions = &table;
    std::vector<rsv::Diagnostic> diagnostics;
    rsv::RsvMeta meta = rsv::read_meta_text(text, "f_meta.json", expect, diagnostics);
    for (const rsv::Diagnostic& diagnostic : diagnostics) {
      fuzz::require(diagnostic.file == "f_meta.json", "diagnostic without its file", diagnostic.message);
      fuzz::require(!diagnostic.message.empty(), "diagnostic without a message", diagnostic.pointer);
    }
    if (!meta.parsed) {
      fuzz::require(rsv::has_errors(diagnostics), "unparsed metadata without an error");
      continue;
    }
    if (!meta.steps_valid) continue;
    fuzz::require(meta.root.has_value(), "valid steps without a root");
    fuzz::require(meta.steps.size() == meta.actions.size(), "valid steps that do not match the action sequence");
    rsv::Layer1Result result = rsv::layer1_single(meta, table);
    fuzz::require(result.pass.has_value(), "valid steps without a Layer 1 verdict");
    if (*result.pass) fuzz::require(result.reason.empty(), "a pass with a failure reason", result.reason);
    else fuzz::require(!result.reason.empty(), "a fail without a reason");
    (void)rsv::layer1_pair(meta, meta, table);
    (void)rsv::inverse_structure(meta.actions);
    (void)rsv::loop_structure(meta.actions, table);
    (void)rsv::pair_structure(meta.actions, meta.actions, table);
    if (meta.steps.size() <= 400 && meta.frames_per_step > 0 && meta.frames_per_step <= 64) {
      for (rsv::FramePhase phase : {rsv::FramePhase::Start, rsv::FramePhase::End, rsv::FramePhase::Inclusive}) {
        rsv::ClosureFrames frames = rsv::closure_frames(meta, phase);
        int total = static_cast<int>(meta.steps.size()) * meta.frames_per_step;
        if (frames.root_frame) fuzz::require(*frames.root_frame >= 0 && *frames.root_frame < total, "root frame outside the video");
        if (frames.final_frame) fuzz::require(*frames.final_frame >= 0 && *frames.final_frame < total, "final frame outside the video");
      }
    }
    std::vector<const rsv::RsvMeta*> metas = {&meta};
    rsv::ConventionsMeasurement measured = rsv::measure_conventions(metas, table);
    fuzz::require(measured.actions.size() == table.actions.size(), "measurement lost an action");
    (void)measured.effective(table);
  }
  return 0;
}
