#pragma once
// Opening a dataset in two steps: the open task lists the clips (and takes what the browser shows
// from DATASET/.idmscope/index.json where it is current), the browser shows them at once, and
// then the clips' logs are read in the background in batches, each batch one task whose result
// (ClipsFilled) the main thread moves into the dataset. The clip on screen jumps the queue.
// When every clip is read, one last task checks the dataset (the clip problems an open names)
// and writes the index back. Tasks that read the clips in place (scoring, the sweep, loading a
// source) wait until then: until the fill is done the main thread still changes the clips.
#include <cstdio>

#include "state/apply.hpp"

namespace idm::gui {

// Starts the fill of the dataset just installed (after DatasetLoaded).
void start_dataset_fill(ViewerContext& context, bool index_current);
void on_clips_filled(ViewerContext& context, cmd::ClipsFilled& filled);
void on_dataset_checked(AppState& state, cmd::DatasetChecked& checked);
// At the apply point: the clip on screen is read ahead of the batches.
void fill_selected_first(ViewerContext& context);
// Whether tasks may read the dataset's clips in place (every clip read, none will change).
bool dataset_settled(const AppState& state);

// For `view --stats`: "browser: 10000 rows at the first frame (...)", and when the fill ended.
void print_first_frame_rows(std::FILE* out, const AppState& state, size_t browser_rows);
void print_fill_timing(std::FILE* out, const AppState& state);

}  // namespace idm::gui
