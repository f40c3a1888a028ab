"""A build of 1M and 50M chunks on N workers, projected from the figures distributed_build measures.

Measured (in the same run): the embedding rate of one CPU actor (per CPU-second), the CPU cost of parsing and
chunking filings, the IVF assembly of 1M vectors and the whole version write at 1M (SQLite,
FTS5 and keyword impacts: taken as linear in the chunks). Assumed,
and named as such in the output: the GPU rate (no GPU was lent), the CPUs each worker brings
for parsing, and how assembly grows with the index. Stages run one after another (parse, then
encode, then the single-process write), as `investor-qa index --ray` runs them.
"""

import math

# ASSUMPTION, not a measurement: all-MiniLM-L6-v2 on one data-centre GPU, fp32, ~210-token
# chunks. sbert.net's model table gives 14,200 sentences/s on a V100 for short sentences; our
# chunks are roughly ten times longer, hence this order of magnitude. Replace it with
# `--device cuda` figures when a GPU machine is lent.
ASSUMED_GPU_CHUNKS_PER_S = 1500.0
ASSUMED_CPUS_PER_WORKER = 8  # vCPUs that come with each GPU (or CPU) worker, for parsing
VECTOR_BYTES, TEXT_BYTES = 384 * 4, 1200  # per chunk held by the driver while it writes


def nlist(chunks: int) -> int:
    """The IVF list count index.ann chooses for this many vectors."""
    return 2 ** round(math.log2(math.sqrt(chunks)))


def project(figures: dict, parse: dict | None, assembly: dict | None, actors: list[int]) -> list:
    """Rows of hours per stage for 1M and 50M chunks on 1-64 workers."""
    if not parse or not assembly or not actors:
        return []
    # A CPU worker of this machine's 2 cores: chunks per CPU-second of one actor on Ray (model
    # loads included), times 2 cores; wall-clock rates here depend on the other tenants.
    cpu_rate = figures[f"ray-{actors[0]}_chunks_per_cpu_s"] * 2
    faiss_s = assembly["train_s"] + assembly["add_in_shards_s"]
    write_ms = (assembly["whole_version_s"] - faiss_s) / assembly["vectors"] * 1000  # text side
    base_n, base_lists = assembly["vectors"], nlist(assembly["vectors"])
    rows = []
    for chunks in (1_000_000, 50_000_000):
        grow = chunks / base_n
        lists = nlist(chunks) / base_lists
        train_h = assembly["train_s"] * lists**2 / 3600  # k-means: sample x lists, sample ~ lists
        add_h = assembly["add_in_shards_s"] * grow * lists / 3600  # each vector meets every list
        merge_h = assembly["merge_s"] * grow / 3600
        write_h = chunks * write_ms / 1000 / 3600
        for workers in (1, 4, 16, 64):
            parse_h = chunks * parse["cpu_ms_per_chunk"] / 1000 / 3600
            parse_h /= workers * ASSUMED_CPUS_PER_WORKER
            gpu_h = chunks / (workers * ASSUMED_GPU_CHUNKS_PER_S) / 3600
            cpu_h = chunks / (workers * cpu_rate) / 3600
            single = train_h + add_h
            sharded = train_h + add_h / workers + merge_h
            rows.append(
                {
                    "chunks": chunks,
                    "workers": workers,
                    "parse_h": round(parse_h, 2),
                    "encode_h_gpu_assumed": round(gpu_h, 2),
                    "encode_h_cpu_measured": round(cpu_h, 1),
                    "assemble_h_one_process": round(single, 2),
                    "assemble_h_shards_merged": round(sharded, 2),
                    "write_h": round(write_h, 2),
                    "total_h_gpu": round(parse_h + gpu_h + single + write_h, 2),
                    "driver_ram_gb": round(chunks * (VECTOR_BYTES + TEXT_BYTES) / 1e9, 0),
                }
            )
    return rows
