#!/usr/bin/env bash
# Installs PyTorch for bench/peer/potion_peer.py from Debian's archive (python3-torch, 1.13.1 on bookworm).
# Idempotent: does nothing when the interpreter already imports torch. Needs root for apt-get.
# PYTHON selects the interpreter to check (default: Debian's /usr/bin/python3, the one python3-torch installs for;
# a pyenv or venv python3 earlier on PATH does not see Debian's dist-packages).
set -euo pipefail

PYTHON="${PYTHON:-/usr/bin/python3}"

if "$PYTHON" -c "import torch" 2>/dev/null; then
    echo "torch $("$PYTHON" -c 'import torch; print(torch.__version__)') already importable by $PYTHON"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y python3-torch

if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
    echo "setup.sh: python3-torch is installed but $PYTHON cannot import torch and numpy (set PYTHON to Debian's python3)" >&2
    exit 1
fi
echo "torch $("$PYTHON" -c 'import torch; print(torch.__version__)') installed for $PYTHON"
