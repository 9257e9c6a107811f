#!/usr/bin/env bash
# Prints the path of a Python 3.12+ interpreter, or explains why none was found.
# Order: python3.13 and python3.12 on PATH, then pyenv's installed versions.
set -u
candidates=()
for name in python3.13 python3.12; do
  if path=$(command -v "$name" 2>/dev/null); then candidates+=("$path"); fi
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
for dir in $(ls -d "$pyenv_root"/versions/3.13* "$pyenv_root"/versions/3.12* 2>/dev/null | sort -rV); do
  [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
done
for py in "${candidates[@]}"; do
  # pyenv shims exist for versions that are not active; only a real run tells.
  if "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
    echo "$py"
    exit 0
  fi
done
echo "No Python 3.12 or newer found (looked for python3.13, python3.12 and pyenv versions under $pyenv_root/versions)." >&2
echo "Install one, e.g. 'pyenv install 3.13', or see docs/decisions/0001-stack.md for the Django 5.2 fallback." >&2
exit 1
