// Progressive help for the testimony form (everything works without it):
// - while a person's name is typed, people already in the vault whose names match in
//   any script (GET /suggest/people), so that the volunteer links instead of
//   duplicating: "Use this person" puts the id in the person field;
// - an evidence upload shows its progress.
// Text from the server is only ever set as textContent, never parsed as markup.
'use strict';
(function () {
  const form = document.getElementById('testimony-form');
  if (!form) return;
  const nameInput = document.getElementById('person_name');
  const idInput = document.getElementById('person');

  if (nameInput && idInput && window.fetch) {
    const box = document.createElement('div');
    box.id = 'suggestions';
    box.className = 'suggestions';
    box.setAttribute('aria-live', 'polite');
    nameInput.insertAdjacentElement('afterend', box);
    let timer = null;
    let sequence = 0;
    const show = (people) => {
      box.replaceChildren();
      if (people.length === 0) return;
      const heading = document.createElement('p');
      heading.textContent = form.dataset.suggestHeading;
      const list = document.createElement('ul');
      for (const person of people) {
        const item = document.createElement('li');
        const names = document.createElement('bdi');
        names.textContent = person.names;
        const meta = document.createElement('span');
        meta.className = 'id';
        meta.textContent = ' ' + person.id + (person.birth_date ? ' · ' + person.birth_date : '') +
          (person.hometown ? ' · ' + person.hometown : '') + ' ';
        const use = document.createElement('button');
        use.type = 'button';
        use.className = 'use-person';
        use.dataset.id = person.id;
        use.textContent = form.dataset.suggestUse;
        use.addEventListener('click', () => {
          idInput.value = person.id;
          nameInput.value = '';
          box.replaceChildren();
          const done = document.createElement('p');
          done.className = 'done';
          done.textContent = form.dataset.suggestLinked + ' ' + person.id;
          box.append(done);
        });
        item.append(names, meta, use);
        list.append(item);
      }
      box.append(heading, list);
    };
    const lookUp = async () => {
      const name = nameInput.value.trim();
      const mine = ++sequence;
      if (name.length < 2) {
        box.replaceChildren();
        return;
      }
      try {
        const res = await fetch('/suggest/people?name=' + encodeURIComponent(name), {
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        });
        if (!res.ok || mine !== sequence) return;
        const data = await res.json();
        if (mine === sequence) show(Array.isArray(data.people) ? data.people : []);
      } catch (e) {
        // No answer: the server checks again when the form is sent.
      }
    };
    nameInput.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 250);
    });
  }

  const file = document.getElementById('evidence');
  const bar = document.getElementById('upload-progress');
  if (file && bar && window.XMLHttpRequest && window.FormData) {
    form.addEventListener('submit', (event) => {
      if (!file.files || file.files.length === 0) return;  // a plain post is quick enough
      event.preventDefault();
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      bar.hidden = false;
      bar.title = form.dataset.uploading;
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.addEventListener('load', () => {
        // The server answers as it does to the plain form: a redirect (followed) to the
        // person, or the form again with what to fix.
        const url = new URL(xhr.responseURL);
        if (xhr.status === 200 && url.pathname !== form.getAttribute('action')) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      });
      xhr.addEventListener('error', () => form.submit());
      for (const button of form.querySelectorAll('button[type=submit]')) button.disabled = true;
      xhr.send(new FormData(form));
    });
  }
})();
