"""The API's routes, by noun: cases, control (orders, resolutions), system."""
