#pragma once
// Completion for the detail editor: the GT spellings an action's detail can take, built from
// the raw key names of spec §2 through the GT key-name mapping (gt/key_names.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "model/actions.hpp"

namespace idm::edit {

// Every known GT spelling for the type: key names (A, Num1, Return, Cmd, F5...) for KeyPress,
// Left/Right/Middle for MouseClick, up/down for MouseScroll.
const std::vector<std::string>& known_details(ActionType type);

// Candidates for what is being typed: for KeyPress the part after the last '+' is completed
// (so "Cmd+Sh" offers "Cmd+Shift"), case-insensitively; at most `limit` full details.
std::vector<std::string> complete_detail(ActionType type, std::string_view typed, size_t limit = 12);

}  // namespace idm::edit
