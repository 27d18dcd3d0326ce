#include "cfont.h"
