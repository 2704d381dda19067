"""The main job: a demo store built from the Serbia 2025 world, and a report on it."""

from armsgate.demo.job import run_demo

__all__ = ["run_demo"]
