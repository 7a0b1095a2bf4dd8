"""The deadline watch: the periodic jobs (closures by silence, the morning digest, missed-deadline
notices), the scheduler that starts each once per period, and the worker.
"""
