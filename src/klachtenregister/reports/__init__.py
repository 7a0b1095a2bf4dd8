"""Reports: the figures a regulation's reporting duties promise, computed from the register."""
