# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export XDG_RUNTIME_DIR ?= /tmp/runtime-$(shell id -u)

.PHONY: run test bench profile build-packages system-packages gettext-tools messages compilemessages check clean-data

# Management commands that need settings but no database or broker: dummy URLs, so no local servers start.
NO_SERVERS := DEBUG=1 DATABASE_URL=postgres://unused@localhost/unused REDIS_URL=redis://localhost:6379/0
# Catalogues of the six UN languages besides English (Django's locale names).
LOCALES := fr ru es ar zh_Hans
I18N_IGNORE := --ignore=.venv --ignore=node_modules --ignore=test-output --ignore=staticfiles

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory build-packages
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# PyICU compiles against ICU's headers, found with pkg-config; installed when missing.
build-packages:
	@if ! pkg-config --exists icu-i18n 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "Installing Debian packages: libicu-dev pkg-config"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libicu-dev pkg-config >/dev/null; \
	fi

# Browser tests need Debian's chromium, report checks poppler, and PDFs in Arabic and Chinese the Noto
# fonts; installed when missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	fc-list :lang=ar | grep -qi noto || missing="$$missing fonts-noto-core"; \
	fc-list :lang=zh | grep -qi noto || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "Installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# GNU gettext (msgfmt, xgettext) for the translations; installed when missing.
gettext-tools:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "Installing Debian packages: gettext"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; \
	fi

# Extracts the project's strings into locale/<language>/LC_MESSAGES/django.po (translations kept).
messages: $(STAMP) gettext-tools
	$(NO_SERVERS) $(BIN)/python manage.py makemessages $(LOCALES:%=-l %) --add-location=file \
	  $(I18N_IGNORE) --ignore=tests --ignore=bench

# The .mo files are build output (not committed): compiled before the site runs.
compilemessages: $(STAMP) gettext-tools
	$(NO_SERVERS) $(BIN)/python manage.py compilemessages $(LOCALES:%=-l %) $(I18N_IGNORE)

run: $(STAMP) compilemessages
	mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py run_platform

test: $(STAMP) system-packages compilemessages
	mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) compilemessages
	mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(BIN)/python bench/run.py

# Where one page's time goes, in-process on the bench's data: make profile PAGE=/en/members/
profile: $(STAMP) compilemessages
	mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)
	$(BIN)/python bench/profile_page.py $(PAGE)

check: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean-data:
	rm -rf .data
