# The environment of `make run`, `make test` and the benchmarks, in one place (sourced).
# privacy/logging.yml is read before Rasa puts the working directory on the path; without
# this, Rasa would skip the redacting log config silently.
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
# Public webhooks: refuse bodies over 1 MB before they are parsed (Sanic's default is 100 MB).
export SANIC_REQUEST_MAX_SIZE=${SANIC_REQUEST_MAX_SIZE:-1000000}
# The action server is reached only by the Rasa server, with the whole conversation in each
# request: a long conversation must not exceed its cap (scripts/actions.sh applies it).
export ACTIONS_REQUEST_MAX_SIZE=${ACTIONS_REQUEST_MAX_SIZE:-64000000}
# Rasa's HTTP client reuses a connection to the action server for up to 15 s; Sanic would close
# it after 5 idle seconds, and a request sent on a closing connection fails.
export SANIC_KEEP_ALIVE_TIMEOUT=${SANIC_KEEP_ALIVE_TIMEOUT:-75}
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=3  # TensorFlow's start-up banners (Rasa imports it)
export SQLALCHEMY_SILENCE_UBER_WARNING=1  # Rasa 3.6 uses SQLAlchemy 1.4's old API on purpose
mkdir -p var
