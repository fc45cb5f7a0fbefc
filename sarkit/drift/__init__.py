"""Drift: move an ensemble of particles with the current, the leeway and a random walk."""
