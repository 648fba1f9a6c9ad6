#!/usr/bin/env python3
"""Link-level half of the layer check: every symbol a core module's library needs from another
module's library must come from a module it declares (directly or through its declarations).
The include check (check_layers.py) cannot see a function declared in a lower module's header
but defined in a higher one; the linker can.

Usage: check_module_symbols.py LAYERS_JSON LIBRARY_DIR...  (finds libidmscope_NAME.a there)
Prints one line per symbol needed from an undeclared module; exits 1 when there is any.
"""
import json
import os
import subprocess
import sys


def symbols(library):
    out = subprocess.run(['nm', '--defined-only', '-g', '-C', library], capture_output=True, text=True, check=True).stdout
    defined = {line.split(' ', 2)[2] for line in out.splitlines() if line.count(' ') >= 2 and line[0] != ' '
               and line.split(' ')[1] not in ('V', 'W', 'u')}
    out = subprocess.run(['nm', '-u', '-C', library], capture_output=True, text=True, check=True).stdout
    undefined = {line.strip()[2:].strip() for line in out.splitlines() if line.strip().startswith('U ')}
    return defined, undefined


def closure(graph, module):
    seen, todo = set(), [module]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, []))
    return seen


def main():
    with open(sys.argv[1]) as handle:
        graph = json.load(handle)
    libraries = {}
    for folder in sys.argv[2:]:
        for root, _, files in os.walk(folder):
            for name in files:
                if name.startswith('libidmscope_') and name.endswith('.a'):
                    module = name[len('libidmscope_'):-2]
                    if module in graph:
                        libraries[module] = os.path.join(root, name)
    missing = sorted(set(graph) - set(libraries))
    if missing:
        print('check_module_symbols: no library found for ' + ', '.join(missing), file=sys.stderr)
        return 2
    table = {module: symbols(path) for module, path in libraries.items()}
    owner = {}
    for module, (defined, _) in table.items():
        for symbol in defined:
            owner.setdefault(symbol, module)
    problems = []
    for module, (_, undefined) in sorted(table.items()):
        allowed = closure(graph, module)
        for symbol in sorted(undefined):
            source = owner.get(symbol)
            if source and source not in allowed:
                problems.append(f'core/{module} uses {symbol}, defined in core/{source}, which it does not declare')
    for problem in problems:
        print('check_module_symbols: ' + problem, file=sys.stderr)
    print(f'check_module_symbols: {len(libraries)} module libraries, {len(problems)} undeclared uses')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
