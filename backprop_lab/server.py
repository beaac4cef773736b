"""Jupyter server setting for quick explorers: send each kernel message to the browser at once.

Jupyter Server's kernel websocket leaves Nagle's algorithm on (it never calls set_nodelay), so of
the few small messages that answer a slider move (status busy, the redraw, status idle) the later
ones wait for the browser's delayed TCP acknowledgement: about 40 ms on every round trip, more
than everything the explorer itself does. This connection class turns that off for the kernel's
websocket only:

    jupyter lab --ServerApp.kernel_websocket_connection_class=backprop_lab.server.NoDelayKernelConnection

(`make lab` passes that flag; binder/postBuild writes the same setting to jupyter_server_config.d.)

benchmarks/explorer_latency_browser.py measures the round trip with and without it.
"""
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

CLASS = "backprop_lab.server.NoDelayKernelConnection"  # the value of ServerApp.kernel_websocket_connection_class


class NoDelayKernelConnection(ZMQChannelsWebsocketConnection):
    """The standard kernel websocket connection, with TCP_NODELAY on its socket."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()
