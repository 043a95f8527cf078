#!/usr/bin/env python3
"""Lists the GPU architectures a CUDA shared library carries code for, by reading its .nv_fatbin section.

A GPU can run a library only if it holds machine code (ELF, a "cubin") for the GPU's compute capability, or PTX
that the driver can compile for it. Usage, for ND4J's CUDA backend:

    unzip -o nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar '*/libnd4jcuda.so' -d /tmp/nd4jcuda
    python3 scripts/cuda-archs.py /tmp/nd4jcuda/org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so

Prints one line per (kind, sm_XY) with the number of kernel images of that kind.
"""
import collections
import struct
import sys

FATBIN_MAGIC = 0xBA55ED50


def sections(data):
    shoff = struct.unpack_from('<Q', data, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3A)
    raw = [struct.unpack_from('<IIQQQQ', data, shoff + i * shentsize) for i in range(shnum)]
    strtab = raw[shstrndx][4]
    for name, _, _, _, offset, size in raw:
        end = data.index(b'\0', strtab + name)
        yield data[strtab + name:end].decode(), offset, size


def archs(path):
    data = open(path, 'rb').read()
    if data[:4] != b'\x7fELF':
        sys.exit(f'{path}: not an ELF file')
    found = collections.Counter()
    for name, offset, size in sections(data):
        if name != '.nv_fatbin':
            continue
        pos, end = offset, offset + size
        while pos < end:
            magic, _, header, body = struct.unpack_from('<IHHQ', data, pos)
            if magic != FATBIN_MAGIC:   # fatbins are 8-byte aligned, with padding between them
                pos += 8
                continue
            entry, stop = pos + header, pos + header + body
            while entry < stop:
                kind, _, entry_header, payload = struct.unpack_from('<HHIQ', data, entry)
                sm = struct.unpack_from('<I', data, entry + 28)[0]
                found[({1: 'PTX', 2: 'ELF'}.get(kind, f'kind {kind}'), sm)] += 1
                entry += entry_header + payload
            pos = stop
    return found


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    result = archs(sys.argv[1])
    if not result:
        sys.exit(f'{sys.argv[1]}: no .nv_fatbin section (no GPU code)')
    for (kind, sm), count in sorted(result.items()):
        print(f'{kind} sm_{sm}: {count}')
