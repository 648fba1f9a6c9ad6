#pragma once
// Revision counters of the viewer's inputs. Every change of an input bumps its counter; a
// derived value (a source's dataset score, the clip's evaluations, the metrics rows) remembers
// the key it was computed from and is rebuilt when the key it would have now differs. Nothing
// patches a derived number in place. Main thread only.
#include <cstdint>

namespace idm::gui {

struct Revisions {
  uint64_t dataset = 0;     // a dataset was opened
  uint64_t side_files = 0;  // the labels or overrides changed (editor, reload from disk)
  uint64_t profile = 0;     // the profile or a tolerance changed
  uint64_t next_source = 1; // the next revision a loaded or replaced source gets
};

// What a source's dataset score was computed from.
struct ScoreKey {
  uint64_t dataset = 0;
  uint64_t side_files = 0;
  uint64_t profile = 0;
  uint64_t source = 0;
  bool operator==(const ScoreKey&) const = default;
};

}  // namespace idm::gui
