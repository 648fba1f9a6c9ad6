#pragma once
// The labelling / override editor's state, owned by the main thread like the rest of
// AppState. The document does file I/O only when saving (debounced autosave, Ctrl+S) and when
// a clip is opened for editing; never while a panel draws.
#include <set>
#include <string>
#include <vector>

#include "edit/clip_document.hpp"

namespace idm::gui {

// One entry of the edit history shown in the panel: what changed and what it did to each
// source's F1 (after minus before).
struct EditEffect {
  std::string description;
  std::vector<double> f1_delta;  // per prediction source
};

struct EditorState {
  edit::ClipDocument document;
  int clip = -1;                 // dataset clip index the document is for (-1: none)
  std::string dataset_path;      // the dataset it belongs to (a new dataset reopens it)
  std::string open_error;        // why this clip cannot be edited
  bool opening = false;          // a task is reading the clip's side files
  bool waiting_for_log = false;  // opening waits until the dataset's fill has read this clip
  bool save_in_flight = false;   // a task is saving a copy of the document (edits wait)
  int selected = -1;             // label index of the selected GT action
  std::set<int> bulk;            // Ctrl+click selection for bulk labelling
  bool scroll_to_selected = false;  // the list scrolls to a selection made by key or in a lane
  bool autosave = true;
  double last_edit_s = -1.0;     // steady-clock time of the last unsaved change; autosave waits a moment
  bool autosave_paused = false;  // after a failed save or a dismissed merge, until the next edit
  std::string save_status;       // "saved 2 file(s)", or what went wrong
  bool save_failed = false;
  bool show_merge = false;       // the merge dialog is open
  // Outside changes to the side files (another program, a git pull): their size and mtime,
  // checked about once a second; a change with no unsaved edits here reloads them.
  std::string disk_signature;
  double last_disk_check_s = -1.0;
  bool disk_poll_in_flight = false;  // a task is reading the side files' signature
  std::vector<EditEffect> history;
  // Detail editing and adding (the panel's text fields).
  int focus_detail = 0;          // frames until the detail field takes the keyboard (0: no)
  int detail_for = -1;           // the label index `detail` was filled from
  char detail[128] = {};
  bool adding = false;
  int focus_add = 0;
  int add_type = 0;              // KeyPress, MouseClick, MouseScroll
  char add_detail[128] = {};
};

}  // namespace idm::gui
