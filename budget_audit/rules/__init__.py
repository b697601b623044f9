"""The rule catalogue and the engines that run it."""
