#pragma once
// Scored actions: GT items after the pipeline and predictions after filtering.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idm {

// The three event types the reference scores, plus MouseMove which the protocol profile adds.
enum class ActionType : uint8_t { KeyPress, MouseClick, MouseScroll, MouseMove };
constexpr int kActionTypeCount = 4;

const char* action_type_name(ActionType type);
bool parse_action_type(std::string_view text, ActionType& out);

struct Action {
  int frame = 0;
  ActionType type = ActionType::KeyPress;
  std::string detail;
};

// Sort by (frame, type name). Type names sort KeyPress < MouseClick < MouseMove < MouseScroll,
// which differs from the enum order, so compare through this rank.
int action_type_sort_rank(ActionType type);

bool operator==(const Action& a, const Action& b);

// A GT item after overrides, with where it came from (for labels and provenance colouring).
enum class Provenance : uint8_t { Original, Edited, Added };

struct ScoredGtItem {
  Action action;
  int label_index = -1;  // canonical GT index, or N+k for the k-th addition
  Provenance provenance = Provenance::Original;
};

}  // namespace idm
