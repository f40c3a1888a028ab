"""Retrieval and answer evaluation on public benchmarks (FinanceBench, TAT-QA); see docs/QUALITY.md."""
