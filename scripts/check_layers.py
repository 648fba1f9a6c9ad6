#!/usr/bin/env python3
"""Checks the layers the build declares (build/layers.json, written by cmake/layers.cmake).

- A file in core/NAME/ includes only its own module's headers and those of the modules that
  NAME's library declares (idm_core_module DEPENDS); every folder in core/ is a module.
- The declared module graph has no cycle.
- core/ includes no GL, GLFW, ImGui, render/ or app/ header.
- CLI code (app/*.cpp, app/*.hpp, app/worker/) includes nothing from app/gui and no GL, GLFW or ImGui.
Prints one line per problem and exits 1 when there is any.
Usage: check_layers.py SOURCE_DIR LAYERS_JSON
"""
import json
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)
GUI_HEADER = re.compile(r'^(GL/|GLFW/|imgui|backends/imgui|glad/|render/|gui/)')


def source_files(folder):
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith(('.cpp', '.hpp', '.h', '.cc')):
                yield os.path.join(root, name)


def includes(path):
    with open(path, encoding='utf-8', errors='replace') as handle:
        return INCLUDE.findall(handle.read())


def find_cycle(graph):
    state = {}
    stack = []

    def visit(node):
        state[node] = 'open'
        stack.append(node)
        for dependency in graph.get(node, []):
            if state.get(dependency) == 'open':
                return stack[stack.index(dependency):] + [dependency]
            if dependency not in state:
                cycle = visit(dependency)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def main():
    source_dir, layers_path = sys.argv[1], sys.argv[2]
    with open(layers_path) as handle:
        graph = json.load(handle)
    problems = []
    for module, dependencies in graph.items():
        for dependency in dependencies:
            if dependency not in graph:
                problems.append(f'core/{module}: declares an unknown module {dependency}')
    cycle = find_cycle(graph)
    if cycle:
        problems.append('module cycle: ' + ' -> '.join(cycle))

    core = os.path.join(source_dir, 'core')
    for folder in sorted(os.listdir(core)):
        if os.path.isdir(os.path.join(core, folder)) and folder not in graph:
            problems.append(f'core/{folder}: not a module (declare it with idm_core_module in its CMakeLists)')
    for module, dependencies in graph.items():
        allowed = set(dependencies) | {module}
        for path in source_files(os.path.join(core, module)):
            relative = os.path.relpath(path, source_dir)
            for kind, header in includes(path):
                if GUI_HEADER.match(header) or header.startswith('app/'):
                    problems.append(f'{relative}: includes {header}: core has no GL, ImGui or app code')
                    continue
                if kind != '"' or '/' not in header:
                    continue
                target = header.split('/')[0]
                if target in graph and target not in allowed:
                    problems.append(f'{relative}: includes {header}, but core/{module} does not declare {target} '
                                    f'(declared: {", ".join(sorted(dependencies)) or "nothing"})')

    app = os.path.join(source_dir, 'app')
    cli_files = [os.path.join(app, name) for name in sorted(os.listdir(app)) if name.endswith(('.cpp', '.hpp'))]
    cli_files += list(source_files(os.path.join(app, 'worker')))
    for path in cli_files:
        relative = os.path.relpath(path, source_dir)
        for _, header in includes(path):
            if GUI_HEADER.match(header) or header.startswith('../gui') or '/gui/' in header:
                problems.append(f'{relative}: includes {header}: CLI code includes nothing from app/gui, GL or ImGui')

    for problem in problems:
        print(f'check_layers: {problem}', file=sys.stderr)
    if problems:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
