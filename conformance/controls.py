"""Negative controls: copies of real cases with a deliberately wrong expectation. Run against a real
server, each must FAIL; one that passes means the judging is blind to that kind of difference and the
whole report would be worthless. Cheap (a few connections), so every run does them."""
import copy

from model import run_case


def controls(cases):
    by_id = {c.id: c for c in cases}

    def mutate(case_id, why, **changes):
        c = copy.copy(by_id[case_id])
        for k, v in changes.items():
            setattr(c, k, v)
        return why, c

    return [
        mutate("3.1", "a wrong close code", close=(1007,)),
        mutate("2.8", "one pong fewer than the server sends", pongs=by_id["2.8"].pongs[:9]),
        mutate("1.1.3", "text echoed where binary was expected", messages=[(True, b'*' * 125)]),
        mutate("1.1.3", "a payload differing in one byte", messages=[(False, b'*' * 124 + b'+')]),
        mutate("5.6", "a missing echo", messages=[]),
        mutate("7.3.4", "an answer code the server does not send", close=(1001,)),
        mutate("6.3.1", "1002 where the server sends 1007", close=(1002,)),
    ]


async def run_controls(cases, host, port):
    """Returns the descriptions of controls that wrongly passed (empty when the judging works)."""
    blind = []
    for why, case in controls(cases):
        passed, _, _, _ = await run_case(case, host, port)
        if passed:
            blind.append(f"{case.id} with {why} passed")
    return blind
