# A stdout callback for the tests: one JSON line per task result, so a test
# can read Ansible's values back with ansible-core alone, which ships no
# JSON stdout callback.
from __future__ import annotations

import json

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: tsplay_results
    type: stdout
    short_description: one JSON line per task result
    description: Prints each task result as a JSON line with the host, the task name and the result.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'tsplay_results'

    def _emit(self, status, result):
        record = {
            'status': status,
            'host': result._host.get_name(),
            'task': result._task.get_name(),
            'result': result._result,
        }
        self._display.display(json.dumps(record, default=str, sort_keys=True))

    def v2_runner_on_ok(self, result):
        self._emit('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit('failed', result)

    def v2_runner_on_skipped(self, result):
        self._emit('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._emit('unreachable', result)
