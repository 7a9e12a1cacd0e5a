"""The console channel: the port implemented on stdin/stdout with a simulated clock."""
