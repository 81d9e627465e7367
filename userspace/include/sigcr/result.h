// SPDX-License-Identifier: GPL-2.0
// Errors as values: an errno and what was being done, never an abort.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace sigcr {

struct Error {
	int err = 0;          // errno value
	std::string context;  // what failed, e.g. "signalfd4(SFD_RAW)"

	std::string message() const { return context + ": " + std::strerror(err); }
};

// The current errno, with context.
inline Error last_error(std::string context) { return Error{errno, std::move(context)}; }

template <class T>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::move(value)) {}
	Result(Error error) : v_(std::move(error)) {}

	bool ok() const { return v_.index() == 0; }
	explicit operator bool() const { return ok(); }
	T &value() & { return std::get<0>(v_); }
	T &&value() && { return std::get<0>(std::move(v_)); }
	const T &value() const & { return std::get<0>(v_); }
	const Error &error() const { return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace sigcr
